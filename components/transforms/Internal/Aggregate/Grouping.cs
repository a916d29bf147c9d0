using System.Runtime.CompilerServices;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>One output field of "fields": [aggregate, expression?].</summary>
internal sealed record AggregateField(string Output, string Function, CompiledExpr? Input, Func<Accumulator> Create, Func<AggregateKernel> Kernel);

/// <summary>
/// The "by" and "fields" options shared by aggregate and window, validated once, so both steps
/// group and aggregate by the same rules.
/// </summary>
internal sealed class Grouping
{
    private Grouping(string[] by, AggregateField[] fields)
    {
        By = by;
        Fields = fields;
    }

    public string[] By { get; }
    public AggregateField[] Fields { get; }

    /// <summary>The input fields the groups and aggregates read.</summary>
    public IEnumerable<string> Reads => By.Concat(Needs.Of(Fields.Where(f => f.Input is not null).Select(f => f.Input!)));

    /// <summary>"by a, b: n = count(), total = sum(:x)" for explain.</summary>
    public string Summary => (By.Length > 0 ? $"by {string.Join(", ", By)}: " : "") +
        string.Join(", ", Fields.Select(f => $"{f.Output} = {f.Function}({f.Input?.ToString() ?? ""})"));

    /// <summary>Validates "by" and "fields"; <paramref name="reserved"/> are output names the step adds itself
    /// (a group field or aggregate may not take them). Null when invalid (diagnostics say why).</summary>
    public static Grouping? Parse(StepSource s, IReadOnlyList<string> reserved)
    {
        int before = s.Diagnostics.Count;
        var by = s.Options.Strings("by");
        FieldChecks.Known(s, "by", by);
        if (!FieldChecks.Unique(s, "by", by)) return null;
        var byNode = s.At("by");
        for (int i = 0; i < by.Count; i++)
            if (reserved.Contains(by[i]))
                s.Diagnostics.Add(byNode.IsArray && i < byNode.Items.Count ? byNode.Items[i] : byNode, $"\"{by[i]}\" is an output field of {s.Op} ({string.Join(", ", reserved)}); rename it first");
        var fields = new List<AggregateField>();
        var fieldsNode = s.At("fields");
        if (fieldsNode.Properties.Count == 0) s.Diagnostics.Add(fieldsNode, "\"fields\" needs at least one aggregate, e.g. {\"n\": [\"count\"]}");
        foreach (var p in fieldsNode.Properties)
        {
            if (by.Contains(p.Name)) s.Diagnostics.AddAtKey(fieldsNode, p, $"\"{p.Name}\" is already a group field");
            else if (reserved.Contains(p.Name)) s.Diagnostics.AddAtKey(fieldsNode, p, $"\"{p.Name}\" is an output field of {s.Op} ({string.Join(", ", reserved)}); choose another name");
            var field = ParseField(p.Name, p.Value, s);
            if (field is not null) fields.Add(field);
        }
        if (s.Diagnostics.Count > before || fields.Count != fieldsNode.Properties.Count || fields.Count == 0) return null;
        return new Grouping(by.ToArray(), fields.ToArray());
    }

    private static AggregateField? ParseField(string output, DocNode node, StepSource s)
    {
        if (!node.IsArray || node.Items.Count == 0 || !node.Items[0].IsString)
        {
            s.Diagnostics.Add(node, $"an aggregate is written [name, expression?], e.g. [\"sum\", \":total\"]; found {node.Describe()}");
            return null;
        }
        string name = node.Items[0].Text!;
        if (!Accumulator.Names.Contains(name))
        {
            s.Diagnostics.Add(node.Items[0], $"unknown aggregate \"{name}\"{Suggest.Hint(name, Accumulator.Names)}; aggregates are {string.Join(", ", Accumulator.Names)}");
            return null;
        }
        int args = node.Items.Count - 1;
        if (args > 1 || (args == 0 && name != "count"))
        {
            s.Diagnostics.Add(node, name == "count" ? "\"count\" takes no argument (records) or one (non-null values)" : $"\"{name}\" takes one expression, e.g. [\"{name}\", \":total\"]");
            return null;
        }
        CompiledExpr? input = null;
        if (args == 1)
        {
            var expr = Expressions.Expressions.Parse(node.Items[1], s.Diagnostics, s.Input);
            input = expr is null ? null : Expressions.Expressions.Compile(expr, s.Diagnostics);
            if (input is null) return null;
        }
        return new AggregateField(output, name, input, Accumulator.Factory(name, args == 1), Accumulator.KernelFactory(name, args == 1));
    }

    public Accumulator[] NewAccumulators()
    {
        var accumulators = new Accumulator[Fields.Length];
        for (int a = 0; a < accumulators.Length; a++) accumulators[a] = Fields[a].Create();
        return accumulators;
    }
}

/// <summary>A group: its key values and one accumulator per aggregate.</summary>
internal sealed class Group(Value[] key, Accumulator[] accumulators)
{
    public Value[] Key { get; } = key;
    public Accumulator[] Accumulators { get; } = accumulators;
    /// <summary>The batch (by <see cref="BatchMerge"/>'s count) that last touched the group, and its number there.</summary>
    public long TouchedIn { get; set; }
    public int NumberInBatch { get; set; }

    /// <summary>Writes the key, then each aggregate's result.</summary>
    public void WriteTo(Span<Value> cells)
    {
        Key.CopyTo(cells);
        for (int a = 0; a < Accumulators.Length; a++) cells[Key.Length + a] = Accumulators[a].Result();
    }
}

/// <summary>Groups in order of first appearance, found by key.</summary>
internal sealed class GroupTable(Grouping grouping)
{
    private readonly Dictionary<KeyTuple, Group> _index = new();
    private readonly List<Group> _groups = new();
    // Most rows find their group here, in a small table of recent keys probed by a cheap hash (text by its
    // length and three characters), without building a key, hashing all its text or going through the
    // dictionary. Text from a source's cache is usually the very instance stored, so comparing costs a
    // reference check. Where few rows hit (keys mostly distinct), the table turns itself off.
    private RecentKey?[]? _recent = grouping.By.Length > 0 ? new RecentKey?[RecentSlots] : null;
    private long _hits, _misses;
    private const int RecentBits = 12, RecentSlots = 1 << RecentBits, WarmUpMisses = 4096;

    private sealed class RecentKey(int width)
    {
        public readonly Value[] Key = new Value[width];
        public Group? Group;
    }

    public IReadOnlyList<Group> InOrder => _groups;
    public int Count => _groups.Count;
    /// <summary>How many times groups were taken away (a cleared table, groups taken back): whoever keeps
    /// groups of its own must drop them when this changes.</summary>
    public int Removals { get; private set; }

    /// <summary>The group of <paramref name="probe"/> (a key over a scratch buffer), created when new.</summary>
    public Group Find(KeyTuple probe, out bool created)
    {
        created = false;
        if (grouping.By.Length == 0 && _groups.Count == 1) return _groups[0];
        if (_index.TryGetValue(probe, out var group)) return group;
        var detached = probe.Detach();
        group = new Group(detached.Values.ToArray(), grouping.NewAccumulators());
        _index.Add(detached, group);
        _groups.Add(group);
        created = true;
        return group;
    }

    /// <summary>The group whose key is <paramref name="cells"/> at <paramref name="slots"/> (-1: null), created when
    /// new; <paramref name="scratch"/> holds the key when the dictionary must be asked.</summary>
    public Group Find(ReadOnlySpan<Value> cells, int[] slots, Value[] scratch, out bool created)
    {
        if (_recent is not { } recent) return Find(KeyOf(cells, slots, scratch), out created);
        int hash = 0;
        foreach (int slot in slots) hash = hash * -1640531535 + (slot >= 0 ? cells[slot].QuickHash() : 0);
        // Two ways per set: a key that collides with another keeps its own place.
        int set = (int)(((uint)hash * 0x9E3779B1u) >> (32 - RecentBits)) & ~1;
        for (int way = set; way < set + 2; way++)
            if (recent[way] is { Group: { } hit } known && Same(known.Key, cells, slots))
            {
                _hits++;
                created = false;
                return hit;
            }
        // Past the misses that fill it, the cache stays while at least four in five lookups hit.
        if (++_misses > WarmUpMisses && _misses * 4 > _hits)
        {
            _recent = null;
            return Find(KeyOf(cells, slots, scratch), out created);
        }
        var key = KeyOf(cells, slots, scratch);
        var group = Find(key, out created);
        var replaced = recent[set + (int)(_misses & 1)] ??= new RecentKey(slots.Length);
        key.Values.CopyTo(replaced.Key);
        replaced.Group = group;
        return group;
    }

    private static bool Same(Value[] known, ReadOnlySpan<Value> cells, int[] slots)
    {
        for (int k = 0; k < known.Length; k++)
        {
            ref readonly var cell = ref slots[k] >= 0 ? ref cells[slots[k]] : ref Value.Null;
            if (!known[k].SameAs(cell) && !ValueOrder.KeyEquals(known[k], cell)) return false;
        }
        return true;
    }

    private static KeyTuple KeyOf(ReadOnlySpan<Value> cells, int[] slots, Value[] scratch)
    {
        for (int k = 0; k < slots.Length; k++) scratch[k] = slots[k] >= 0 ? cells[slots[k]] : Value.Null;
        return new KeyTuple(scratch);
    }

    private void ForgetRecent()
    {
        if (_recent is null) return;
        foreach (var known in _recent)
            if (known is not null)
            {
                known.Group = null;
                Array.Clear(known.Key);
            }
    }

    /// <summary>Adds an empty group (aggregate without "by" over no records).</summary>
    public void AddEmpty() => Find(new KeyTuple([]), out _);

    /// <summary>Takes back the newest group when the record that created it was rejected: a group
    /// exists only for records that were merged.</summary>
    public void Discard(Group group)
    {
        System.Diagnostics.Debug.Assert(ReferenceEquals(group, _groups[^1]));
        TakeBackFrom(_groups.Count - 1);
    }

    /// <summary>Takes back every group from the <paramref name="count"/>th on (those a batch created
    /// before it went record by record after all).</summary>
    public void TakeBackFrom(int count)
    {
        if (count >= _groups.Count) return;
        for (int g = count; g < _groups.Count; g++) _index.Remove(new KeyTuple(_groups[g].Key));
        _groups.RemoveRange(count, _groups.Count - count);
        ForgetRecent();
        Removals++;
    }

    public void Clear()
    {
        _index.Clear();
        _groups.Clear();
        ForgetRecent();
        Removals++;
    }
}

/// <summary>
/// Per run: reads a row's group key and aggregate inputs into reusable buffers, and adds them to
/// groups two-phase, so a record that fails on one aggregate changes no group.
/// </summary>
internal sealed class GroupReader(Grouping grouping)
{
    private readonly PerSchema<int[]> _slots = new(schema => grouping.By.Select(schema.IndexOf).ToArray());
    private readonly Value[] _key = new Value[grouping.By.Length];
    private readonly Value[] _inputs = new Value[grouping.Fields.Length];
    private readonly Value[]?[] _columns = new Value[grouping.Fields.Length][];
    // Inputs that are a bare field are read where they are in the batch, not gathered into a column first.
    private readonly PerSchema<int[]> _inputSlots = new(schema => grouping.Fields.Select(f => f.Input?.PlainField is { } name ? schema.IndexOf(name) : -1).ToArray());
    private Batch? _batch;
    private int[] _batchInputSlots = [];
    private int _columnRows, _row = -1;

    /// <summary>The row's key over a scratch buffer: detach it to keep it.</summary>
    public KeyTuple Key(in Row row)
    {
        var slots = _slots.For(row.Schema);
        for (int k = 0; k < slots.Length; k++)
            _key[k] = slots[k] >= 0 ? row.Cells[slots[k]] : Value.Null;
        return new KeyTuple(_key);
    }

    /// <summary>Where the key fields are in batches of <paramref name="schema"/> (-1: absent, so null).</summary>
    public int[] KeySlots(Schema schema) => _slots.For(schema);

    /// <summary>A buffer for a key the group table must look up whole.</summary>
    public Value[] KeyScratch => _key;

    /// <summary>The row's group in <paramref name="groups"/>, created when new.</summary>
    public Group FindGroup(GroupTable groups, in Row row, out bool created) =>
        groups.Find(row.Cells, _slots.For(row.Schema), _key, out created);

    /// <summary>Evaluates every aggregate's input; throws <see cref="EvalException"/> naming the aggregate.</summary>
    public void ReadInputs(in Row row)
    {
        var fields = grouping.Fields;
        int a = 0;
        _row = -1;
        try
        {
            for (; a < fields.Length; a++)
                _inputs[a] = fields[a].Input?.Eval(row) ?? Value.Null;
        }
        catch (EvalException e)
        {
            throw Named(e, a);
        }
    }

    /// <summary>Evaluates every aggregate's input for the whole batch at once (see <see cref="TakeInputs"/>);
    /// false when some record fails, which <see cref="ReadInputs"/> then finds row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadAll(Batch batch)
    {
        var fields = grouping.Fields;
        _columnRows = batch.Count;
        _batch = batch;
        _batchInputSlots = _inputSlots.For(batch.Schema);
        for (int a = 0; a < fields.Length; a++)
        {
            if (fields[a].Input is not { } input || _batchInputSlots[a] >= 0) continue;
            var column = _columns[a];
            if (column is null || column.Length < batch.Count) _columns[a] = column = new Value[Math.Max(batch.Count, batch.Capacity)];
            if (!input.TryEvalAll(batch, column)) return false;
        }
        return true;
    }

    /// <summary>Aggregate <paramref name="field"/>'s inputs for the batch <see cref="TryReadAll"/> evaluated.</summary>
    public InputColumn Input(int field)
    {
        var batch = _batch!;
        if (_batchInputSlots[field] is var slot and >= 0) return new InputColumn(batch.Cells, batch.Stride, slot);
        return _columns[field] is { } column && grouping.Fields[field].Input is not null
            ? new InputColumn(column.AsSpan(0, _columnRows), 1, 0)
            : default;
    }

    /// <summary>Takes the inputs of one row of the batch <see cref="TryReadAll"/> evaluated (read in place).</summary>
    public void TakeInputs(int row) => _row = row;

    /// <summary>Lets go of the batch's input values (text would otherwise stay reachable until the next batch).</summary>
    public void ReleaseInputs()
    {
        foreach (var column in _columns) column?.AsSpan(0, Math.Min(_columnRows, column.Length)).Clear();
        _row = -1;
        _batch = null;
    }

    /// <summary>Prepares the inputs read last on <paramref name="group"/>; throws (changing nothing) when an aggregate refuses them.</summary>
    public void Prepare(Group group)
    {
        var accumulators = group.Accumulators;
        var cells = _row >= 0 ? _batch!.Row(_row) : default;
        int a = 0;
        try
        {
            for (; a < accumulators.Length; a++)
            {
                ref readonly var input = ref _inputs[a];
                if (_row >= 0)
                {
                    if (_batchInputSlots[a] is var slot and >= 0) input = ref cells[slot];
                    else if (_columns[a] is { } column) input = ref column[_row];
                }
                accumulators[a].Prepare(in input);
            }
        }
        catch (EvalException e)
        {
            throw Named(e, a);
        }
    }

    /// <summary>Applies what <see cref="Prepare"/> prepared.</summary>
    public static void Commit(Group group)
    {
        foreach (var accumulator in group.Accumulators) accumulator.Commit();
    }

    private EvalException Named(EvalException e, int field) => new(e.Kind, $"{grouping.Fields[field].Output}: {e.Message}");
}
