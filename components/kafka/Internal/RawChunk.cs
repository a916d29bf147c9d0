using Confluent.Kafka;

namespace Ocht.Kafka;

/// <summary>
/// Message values as the consumer thread copied them out of librdkafka's buffers, with their places, to be
/// decoded on the pipeline's thread: consuming and JSON decoding then run on two cores instead of one.
/// </summary>
internal sealed class RawChunk(int capacity)
{
    private readonly record struct Message(int Start, int Length, int Partition, long Offset);

    private byte[] _bytes = new byte[Math.Max(4096, capacity * 128)];
    private readonly Message[] _messages = new Message[capacity];
    private int _used;

    public int Count { get; private set; }
    /// <summary>The first of the sequences its batches take (a block of <see cref="Model.SourceChunk.SequenceSpan"/>).</summary>
    public long Sequence { get; set; }

    /// <summary>Appends a value (null for a message without one); its place follows with <see cref="Place"/>.</summary>
    public void Append(ReadOnlySpan<byte> value, bool isNull)
    {
        if (!isNull && _used + value.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + value.Length));
        if (!isNull) value.CopyTo(_bytes.AsSpan(_used));
        _messages[Count++] = new Message(_used, isNull ? -1 : value.Length, 0, 0);
        if (!isNull) _used += value.Length;
    }

    public void Place(int partition, long offset) => _messages[Count - 1] = _messages[Count - 1] with { Partition = partition, Offset = offset };

    /// <summary>Takes back the last message (read past where a bounded read ends).</summary>
    public void DropLast()
    {
        var last = _messages[--Count];
        if (last.Length > 0) _used = last.Start;
    }

    public bool IsFull => Count == _messages.Length;

    public bool IsNull(int i) => _messages[i].Length < 0;
    public ReadOnlySpan<byte> Value(int i) => _messages[i].Length < 0 ? default : _bytes.AsSpan(_messages[i].Start, _messages[i].Length);
    public int Partition(int i) => _messages[i].Partition;
    public long Offset(int i) => _messages[i].Offset;
}

/// <summary>The consumer's value deserializer: copies each value into the chunk being filled.</summary>
internal sealed class RawCopier : IDeserializer<bool>
{
    public RawChunk? Target { get; set; }

    public bool Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        Target!.Append(data, isNull);
        return true;
    }
}
