using System.Collections.Concurrent;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Caches what a step derives from an input schema (output schema, field maps), keyed by schema
/// identity. Thread-safe, so stateless steps can run batches in parallel; bounded for inputs whose
/// field sets never repeat.
/// </summary>
internal sealed class PerSchema<T>(Func<Schema, T> build) where T : class
{
    private const int Capacity = 1024;
    private readonly ConcurrentDictionary<Schema, T> _entries = new(ReferenceEqualityComparer.Instance);
    private (Schema Schema, T Entry)? _last;

    public T For(Schema schema)
    {
        var last = _last;
        if (last is { } l && ReferenceEquals(l.Schema, schema)) return l.Entry;
        if (!_entries.TryGetValue(schema, out var entry))
        {
            if (_entries.Count >= Capacity) _entries.Clear();
            entry = _entries.GetOrAdd(schema, build);
        }
        _last = (schema, entry);
        return entry;
    }
}
