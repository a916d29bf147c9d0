namespace Ocht.Expressions;

/// <summary>
/// The fields a record can have at some point of a pipeline, when known (a CSV header, after a
/// select or aggregate). With a known scope, references to other fields are validation errors.
/// </summary>
public sealed class FieldScope
{
    private FieldScope(IReadOnlyList<string>? fields) => Fields = fields;

    /// <summary>Nothing is known (e.g. JSONL input): every field reference is accepted.</summary>
    public static readonly FieldScope Unknown = new(null);

    public static FieldScope Of(IEnumerable<string> fields) => new(fields.ToArray());

    public IReadOnlyList<string>? Fields { get; }
    public bool IsKnown => Fields is not null;

    public bool Has(string field) => Fields is null || Fields.Contains(field, StringComparer.Ordinal);

    public FieldScope With(IEnumerable<string> added) =>
        Fields is null ? this : new FieldScope(Fields.Concat(added.Where(a => !Fields.Contains(a, StringComparer.Ordinal))).ToArray());

    public FieldScope Without(IEnumerable<string> removed)
    {
        if (Fields is null) return this;
        var set = removed.ToHashSet(StringComparer.Ordinal);
        return new FieldScope(Fields.Where(f => !set.Contains(f)).ToArray());
    }

    public override string ToString() => Fields is null ? "(unknown)" : string.Join(", ", Fields);
}
