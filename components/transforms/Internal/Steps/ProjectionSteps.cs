using System.Runtime.CompilerServices;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>Rebuilds rows by a field map (output position → input position, or -1 for null).</summary>
internal sealed class Projection
{
    public Projection(Schema output, int[] sources)
    {
        Output = output;
        Sources = sources;
    }

    public Schema Output { get; }
    public int[] Sources { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(Batch batch)
    {
        int n = batch.Count, width = Output.Width;
        var cells = Batch.RentCells(Math.Max(1, batch.Capacity) * width);
        for (int i = 0; i < n; i++)
        {
            var from = batch.Row(i);
            var to = cells.AsSpan(i * width, width);
            for (int f = 0; f < width; f++)
            {
                int source = Sources[f];
                if (source >= 0) to[f] = from[source];
            }
        }
        batch.Reshape(Output, cells);
    }
}

internal static class SelectStep
{
    public static readonly ComponentSpec Spec = new("step", "select", "Keeps only these fields, in this order. A field a record lacks becomes null.",
    [
        new OptionSpec("fields", OptionType.FieldList, "the fields to keep, in output order") { Required = true },
    ])
    {
        Example = """{ "op": "select", "fields": ["order_id", "country", "total"] }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var fields = s.Options.Strings("fields");
        FieldChecks.Known(s, "fields", fields);
        if (!FieldChecks.Unique(s, "fields", fields)) return null;
        var output = Schema.Of(fields.ToArray());
        var shapes = new PerSchema<Projection>(input => new Projection(output, fields.Select(input.IndexOf).ToArray()));
        return s.Define(FieldScope.Of(fields), StepTraits.Stateless, string.Join(", ", fields), (d, _) => new ProjectionRunner(d, shapes), Needs.Exactly(fields));
    }
}

internal static class DropStep
{
    public static readonly ComponentSpec Spec = new("step", "drop", "Removes fields (fields a record lacks are ignored).",
    [
        new OptionSpec("fields", OptionType.FieldList, "the fields to remove") { Required = true },
    ])
    {
        Example = """{ "op": "drop", "fields": ["note", "internal_id"] }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        var fields = s.Options.Strings("fields");
        FieldChecks.Known(s, "fields", fields);
        var removed = fields.ToHashSet(StringComparer.Ordinal);
        var shapes = new PerSchema<Projection>(input =>
        {
            var kept = Enumerable.Range(0, input.Width).Where(i => !removed.Contains(input[i])).ToArray();
            return new Projection(Schema.Of(kept.Select(i => input[i]).ToArray()), kept);
        });
        return s.Define(s.Input.Without(fields), StepTraits.Stateless, string.Join(", ", fields), (d, _) => new ProjectionRunner(d, shapes), Needs.Plus([]));
    }
}

internal sealed class ProjectionRunner(StepDefinition definition, PerSchema<Projection> shapes) : StepRunner(definition)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Process(Batch input, StepOutput output)
    {
        shapes.For(input.Schema).Apply(input);
        output.Emit(input);
    }
}

internal static class RenameStep
{
    public static readonly ComponentSpec Spec = new("step", "rename", "Renames fields, keeping their position. Renaming onto a field that already exists rejects the record.",
    [
        new OptionSpec("fields", OptionType.FieldMap, "old name to new name") { Required = true },
    ])
    {
        Example = """{ "op": "rename", "fields": { "cust": "customer_id" } }""",
    };

    private sealed record Shape(Schema? Output, string? Collision);

    public static StepDefinition? Compile(StepSource s)
    {
        var map = s.Options.Map("fields").Select(p => (Old: p.Key, New: p.Value.Text!)).ToArray();
        FieldChecks.Known(s, "fields", map.Select(m => m.Old).ToArray());
        var renames = map.ToDictionary(m => m.Old, m => m.New, StringComparer.Ordinal);
        var targets = map.Select(m => m.New).ToArray();
        if (targets.Distinct(StringComparer.Ordinal).Count() != targets.Length)
            s.Diagnostics.Add(s.At("fields"), "two fields are renamed to the same name");
        var scope = s.Input;
        if (scope.IsKnown)
        {
            var names = scope.Fields!.Select(f => renames.GetValueOrDefault(f, f)).ToArray();
            var dup = names.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) s.Diagnostics.Add(s.At("fields"), $"renaming would give two fields named \"{dup.Key}\"");
            scope = FieldScope.Of(names);
        }
        var shapes = new PerSchema<Shape>(input =>
        {
            var names = input.Names.Select(f => renames.GetValueOrDefault(f, f)).ToArray();
            var dup = names.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            return dup is null ? new Shape(Schema.Of(names), null) : new Shape(null, dup.Key);
        });
        string summary = string.Join(", ", map.Select(m => $"{m.Old} -> {m.New}"));
        var back = map.ToDictionary(m => m.New, m => m.Old, StringComparer.Ordinal);
        return s.Define(scope, StepTraits.Stateless, summary, (d, _) => new Runner(d, shapes),
            after => after?.Select(f => back.GetValueOrDefault(f, renames.ContainsKey(f) ? "" : f)).Where(f => f.Length > 0).ToHashSet(StringComparer.Ordinal));
    }

    private sealed class Runner(StepDefinition definition, PerSchema<Shape> shapes) : StepRunner(definition)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Process(Batch input, StepOutput output)
        {
            var shape = shapes.For(input.Schema);
            if (shape.Output is not null)
            {
                input.Relabel(shape.Output);
                output.Emit(input);
                return;
            }
            for (int i = 0; i < input.Count; i++)
                output.Reject(Reject(input, i, Rejection.Kinds.Schema, $"renaming would give two fields named \"{shape.Collision}\""));
            input.Truncate(0);
            output.Emit(input);
        }
    }
}

/// <summary>Checks shared by steps that name fields.</summary>
internal static class FieldChecks
{
    /// <summary>With a known input, every named field must exist.</summary>
    public static void Known(StepSource s, string option, IReadOnlyList<string> fields)
    {
        if (!s.Input.IsKnown) return;
        var node = s.At(option);
        for (int i = 0; i < fields.Count; i++)
        {
            if (s.Input.Has(fields[i])) continue;
            var at = node.IsArray && i < node.Items.Count ? node.Items[i] : node.IsObject ? node.Properties.FirstOrDefault(p => p.Name == fields[i])?.Value ?? node : node;
            s.Diagnostics.Add(at, $"unknown field \"{fields[i]}\"{Suggest.Hint(fields[i], s.Input.Fields!)} (fields here: {s.Input})");
        }
    }

    public static bool Unique(StepSource s, string option, IReadOnlyList<string> fields)
    {
        var dup = fields.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is null) return true;
        s.Diagnostics.Add(s.At(option), $"field \"{dup.Key}\" is listed twice");
        return false;
    }
}
