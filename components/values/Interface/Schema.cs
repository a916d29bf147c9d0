using System.Collections.Frozen;

namespace Ocht.Values;

/// <summary>
/// The ordered field names shared by the records of a batch. Immutable; compare by reference for
/// the fast path (steps cache per-schema plans) and with <see cref="SameFields"/> for content.
/// </summary>
public sealed class Schema
{
    private const int LinearSearchWidth = 8;
    private readonly string[] _names;
    private readonly FrozenDictionary<string, int>? _index;

    private Schema(string[] names)
    {
        _names = names;
        if (names.Length > LinearSearchWidth)
            _index = BuildIndex(names).ToFrozenDictionary(StringComparer.Ordinal);
        else
            EnsureUnique(names);
    }

    public static readonly Schema Empty = new([]);

    /// <summary>A schema of these names; throws on duplicates (a record is a map).</summary>
    public static Schema Of(params string[] names) => names.Length == 0 ? Empty : new Schema((string[])names.Clone());

    public static Schema Of(IEnumerable<string> names) => Of(names.ToArray());

    public int Width => _names.Length;
    public IReadOnlyList<string> Names => _names;
    public string this[int index] => _names[index];

    public int IndexOf(string name)
    {
        if (_index is not null)
            return _index.TryGetValue(name, out int i) ? i : -1;
        var names = _names;
        for (int i = 0; i < names.Length; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        return -1;
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    public bool SameFields(Schema other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other._names.Length != _names.Length) return false;
        for (int i = 0; i < _names.Length; i++)
            if (!string.Equals(_names[i], other._names[i], StringComparison.Ordinal))
                return false;
        return true;
    }

    public override string ToString() => "[" + string.Join(", ", _names) + "]";

    private static Dictionary<string, int> BuildIndex(string[] names)
    {
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
            if (!index.TryAdd(names[i], i))
                throw new ArgumentException($"duplicate field \"{names[i]}\"");
        return index;
    }

    private static void EnsureUnique(string[] names)
    {
        for (int i = 1; i < names.Length; i++)
            for (int j = 0; j < i; j++)
                if (string.Equals(names[i], names[j], StringComparison.Ordinal))
                    throw new ArgumentException($"duplicate field \"{names[i]}\"");
    }
}
