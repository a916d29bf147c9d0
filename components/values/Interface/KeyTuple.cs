namespace Ocht.Values;

/// <summary>A composite key (group, dedupe, join) with the key equality of <see cref="ValueOrder"/>:
/// the numbers 5 and 5.0 are one key; the text "5" is another.</summary>
public readonly struct KeyTuple : IEquatable<KeyTuple>
{
    private readonly Value[] _values;
    private readonly int _hash;

    public KeyTuple(Value[] values)
    {
        _values = values;
        var h = new HashCode();
        foreach (var v in values) h.Add(ValueOrder.KeyHash(v));
        _hash = h.ToHashCode();
    }

    public ReadOnlySpan<Value> Values => _values;
    public Value this[int i] => _values[i];
    public int Count => _values.Length;

    public bool HasNull()
    {
        foreach (var v in _values)
            if (v.IsNull) return true;
        return false;
    }

    public bool Equals(KeyTuple other)
    {
        if (_hash != other._hash || _values.Length != other._values.Length) return false;
        for (int i = 0; i < _values.Length; i++)
            if (!ValueOrder.KeyEquals(_values[i], other._values[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is KeyTuple k && Equals(k);
    public override int GetHashCode() => _hash;

    /// <summary>A copy that owns its values (for storing a key built in a scratch array).</summary>
    public KeyTuple Detach() => new((Value[])_values.Clone(), _hash);

    private KeyTuple(Value[] values, int hash)
    {
        _values = values;
        _hash = hash;
    }
}
