using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Which sort keys are cells of a row of a given schema: a key that is a top-level field (":country")
/// equals that cell, so the sort's encoding stores only the other keys and takes these back from the
/// cells when it reads a row. One instance per writer or reader (not thread-safe).
/// </summary>
internal sealed class KeyCells(SortKeys keys)
{
    private readonly Dictionary<Schema, int[]> _maps = new(ReferenceEqualityComparer.Instance);
    private Schema? _lastSchema;
    private int[] _last = [];

    /// <summary>For each key, the index of the cell it equals in <paramref name="schema"/>, or -1 when it is stored itself.</summary>
    public int[] Of(Schema schema)
    {
        if (ReferenceEquals(schema, _lastSchema)) return _last;
        if (!_maps.TryGetValue(schema, out var map))
        {
            map = new int[keys.Count];
            for (int k = 0; k < map.Length; k++) map[k] = keys.Fields[k] is { } name ? schema.IndexOf(name) : -1;
            if (_maps.Count < 1024) _maps[schema] = map;
        }
        _lastSchema = schema;
        return _last = map;
    }

    /// <summary>Writes the keys that are not cells.</summary>
    public static void WriteStored(ValueEncoder output, ReadOnlySpan<Value> rowKeys, int[] map)
    {
        for (int k = 0; k < map.Length; k++)
            if (map[k] < 0) output.WriteValue(rowKeys[k]);
    }

    /// <summary>Reads the keys that are not cells (into their places in <paramref name="rowKeys"/>).</summary>
    public static void ReadStored(ValueDecoder input, Span<Value> rowKeys, int[] map)
    {
        for (int k = 0; k < map.Length; k++)
            if (map[k] < 0) rowKeys[k] = input.ReadCached(k);
    }

    /// <summary>Fills the keys that are cells, once the cells are read.</summary>
    public static void FillFromCells(Span<Value> rowKeys, ReadOnlySpan<Value> cells, int[] map)
    {
        for (int k = 0; k < map.Length; k++)
            if (map[k] >= 0) rowKeys[k] = cells[map[k]];
    }
}
