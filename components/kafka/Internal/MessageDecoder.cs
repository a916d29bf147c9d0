using Ocht.Values;

namespace Ocht.Kafka;

/// <summary>
/// Decodes a message value into the fields of the last message: a record, or why it is not one with its
/// text. One per source, used on the pipeline's thread only.
/// </summary>
internal sealed class MessageDecoder
{
    private readonly JsonRecordReader _json = new();
    private Value[] _values = new Value[16];
    private int _count;

    public Schema Schema { get; private set; } = Schema.Empty;
    public ReadOnlySpan<Value> Values => _values.AsSpan(0, _count);
    /// <summary>Why the last message is not a record (null when it is).</summary>
    public string? Error { get; private set; }
    public string? Raw { get; private set; }

    public bool Decode(ReadOnlySpan<byte> data, bool isNull)
    {
        if (isNull)
            return Fail("the message has no value (a tombstone)", "");
        if (!_json.TryRead(data, out var schema, out var values, out string? error))
            return Fail(error!, Utf8Text.Lossy(data));
        if (values.Length > _values.Length) _values = new Value[Math.Max(values.Length, _values.Length * 2)];
        values.CopyTo(_values);
        _count = values.Length;
        Schema = schema;
        Error = Raw = null;
        return true;
    }

    private bool Fail(string error, string raw)
    {
        Error = error;
        Raw = raw;
        _count = 0;
        return false;
    }
}
