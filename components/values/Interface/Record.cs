namespace Ocht.Values;

/// <summary>One record: an ordered map of field name to value. Used at the edges (tests, the
/// notebook, dead letters); the hot path works on <see cref="Batch"/> rows.</summary>
public sealed class Record : IEquatable<Record>
{
    private readonly Value[] _values;

    public Record(Schema schema, Value[] values)
    {
        if (values.Length != schema.Width)
            throw new ArgumentException($"record has {values.Length} values, schema has {schema.Width} fields");
        Schema = schema;
        _values = values;
    }

    public Schema Schema { get; }
    public ReadOnlySpan<Value> Values => _values;
    public int Count => _values.Length;

    public Value this[string field] => Schema.IndexOf(field) is var i and >= 0 ? _values[i] : Value.Null;
    public Value this[int index] => _values[index];

    public static Record Of(params (string Field, Value Value)[] fields)
    {
        var names = new string[fields.Length];
        var values = new Value[fields.Length];
        for (int i = 0; i < fields.Length; i++)
            (names[i], values[i]) = fields[i];
        return new Record(Schema.Of(names), values);
    }

    public IEnumerable<(string Field, Value Value)> Fields()
    {
        for (int i = 0; i < _values.Length; i++)
            yield return (Schema[i], _values[i]);
    }

    /// <summary>Same fields in the same order with key-equal values.</summary>
    public bool Equals(Record? other)
    {
        if (other is null || !Schema.SameFields(other.Schema)) return false;
        for (int i = 0; i < _values.Length; i++)
            if (!ValueOrder.StrictEquals(_values[i], other._values[i]))
                return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is Record r && Equals(r);

    public override int GetHashCode()
    {
        var h = new HashCode();
        for (int i = 0; i < _values.Length; i++)
        {
            h.Add(Schema[i]);
            h.Add(ValueOrder.KeyHash(_values[i]));
        }
        return h.ToHashCode();
    }

    /// <summary>The record as one line of JSON.</summary>
    public override string ToString() => ValueJson.ToJson(this);
}
