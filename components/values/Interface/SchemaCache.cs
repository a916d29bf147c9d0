namespace Ocht.Values;

/// <summary>
/// Interns schemas seen by a reader so records with the same fields share one <see cref="Schema"/>
/// instance (and therefore one batch and one compiled step plan). Bounded: past its capacity it
/// stops interning rather than growing without limit on data with ever-new field sets.
/// Not thread-safe: one per reader.
/// </summary>
public sealed class SchemaCache(int capacity = 256)
{
    private readonly Dictionary<SchemaKey, Schema> _schemas = new();
    private Schema? _last;

    /// <summary>The interned schema for these names. Repeats of the previous field set cost no allocation.</summary>
    public Schema Get(ReadOnlySpan<string> names)
    {
        if (_last is not null && SameNames(_last, names))
            return _last;
        var probe = new SchemaKey(names.ToArray());
        if (!_schemas.TryGetValue(probe, out var schema))
        {
            schema = Schema.Of(probe.Names);
            if (_schemas.Count < capacity)
                _schemas[probe] = schema;
        }
        return _last = schema;
    }

    private static bool SameNames(Schema schema, ReadOnlySpan<string> names)
    {
        if (schema.Width != names.Length) return false;
        for (int i = 0; i < names.Length; i++)
            if (!string.Equals(schema[i], names[i], StringComparison.Ordinal))
                return false;
        return true;
    }

    private readonly struct SchemaKey(string[] names) : IEquatable<SchemaKey>
    {
        public string[] Names { get; } = names;

        public bool Equals(SchemaKey other) => Names.AsSpan().SequenceEqual(other.Names);
        public override bool Equals(object? obj) => obj is SchemaKey k && Equals(k);

        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var n in Names) h.Add(n);
            return h.ToHashCode();
        }
    }
}
