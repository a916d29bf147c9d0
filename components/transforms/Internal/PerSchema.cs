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
    // One object, swapped whole: a two-field struct could be read half-updated by another thread.
    private sealed record Last(Schema Schema, T Entry);

    private Last? _last;

    public T For(Schema schema)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.Schema, schema)) return last.Entry;
        if (!_entries.TryGetValue(schema, out var entry))
        {
            if (_entries.Count >= Capacity) _entries.Clear();
            entry = _entries.GetOrAdd(schema, build);
        }
        _last = new Last(schema, entry);
        return entry;
    }
}
