namespace Ocht.Values;

/// <summary>An ordered map value (a nested JSON object). Keys are held as a <see cref="Schema"/>.</summary>
public sealed class MapValue
{
    public MapValue(Schema keys, Value[] values)
    {
        if (values.Length != keys.Width)
            throw new ArgumentException($"map has {keys.Width} keys but {values.Length} values");
        Keys = keys;
        Values = values;
    }

    public Schema Keys { get; }
    public Value[] Values { get; }
    public int Count => Values.Length;

    public bool TryGet(string key, out Value value)
    {
        int i = Keys.IndexOf(key);
        value = i >= 0 ? Values[i] : Value.Null;
        return i >= 0;
    }

    public static MapValue Of(params (string Key, Value Value)[] pairs)
    {
        var names = new string[pairs.Length];
        var values = new Value[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
            (names[i], values[i]) = pairs[i];
        return new MapValue(Schema.Of(names), values);
    }
}
