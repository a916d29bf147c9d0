namespace Ocht.Spill;

/// <summary>A stream used in one direction only, front to back: no seeking, no length, no position.</summary>
internal abstract class ForwardStream : Stream
{
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>A stream that is only written.</summary>
internal abstract class WriteOnlyStream : ForwardStream
{
    public override bool CanRead => false;
    public override bool CanWrite => true;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public abstract override void Write(ReadOnlySpan<byte> buffer);
}

/// <summary>A stream that is only read.</summary>
internal abstract class ReadOnlyStream : ForwardStream
{
    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public abstract override int Read(Span<byte> buffer);
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
