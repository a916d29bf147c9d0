using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Transforms;

namespace Ocht.Transforms.Tests;

public class SpillBytesTests
{
    private abstract record Item;
    private sealed record Byte(byte V) : Item;
    private sealed record Varint(ulong V) : Item;
    private sealed record Int64(long V) : Item;
    private sealed record Double(double V) : Item;
    private sealed record Decimal(decimal V) : Item;
    private sealed record Bytes(int Length, byte Fill) : Item;

    private static readonly FsCheck.Gen<Item> Items = Gen.OneOf(
        Gen.Choose(0, 255).Select(b => (Item)new Byte((byte)b)),
        Gen.Elements(0UL, 1UL, 127UL, 128UL, 300UL, ulong.MaxValue, 1UL << 63).Select(v => (Item)new Varint(v)),
        Gen.Elements(0L, -1L, long.MinValue, long.MaxValue, 638_000_000_000_000_000L).Select(v => (Item)new Int64(v)),
        Gen.Elements(0.0, -0.5, double.MaxValue, double.Epsilon, double.NaN).Select(v => (Item)new Double(v)),
        Gen.Elements(0m, -1.5m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m).Select(v => (Item)new Decimal(v)),
        Gen.Elements(0, 1, 7, 5_000, 70_000, 140_000).SelectMany(n => Gen.Choose(0, 255).Select(f => (Item)new Bytes(n, (byte)f))));

    /// <summary>Random sequences of every primitive, long enough to cross the 64 KiB buffer many times at every
    /// alignment, read back exactly as written.</summary>
    [Fact]
    public void Whatever_is_written_reads_back_across_buffer_refills() =>
        Properties.Check(Prop.ForAll(Items.ArrayOf().Select(a => a.Concat(Enumerable.Repeat<Item>(new Int64(42), 20_000)).Concat(Enumerable.Range(0, 30_000).Select(i => (Item)new Varint((ulong)i * 7919))).ToArray()).ToArbitrary(), items =>
        {
            var stream = new MemoryStream();
            using (var writer = new SpillWriter(new NonClosing(stream)))
                foreach (var item in items)
                    switch (item)
                    {
                        case Byte b: writer.WriteByte(b.V); break;
                        case Varint v: writer.WriteVarint(v.V); break;
                        case Int64 l: writer.WriteInt64(l.V); break;
                        case Double d: writer.WriteDouble(d.V); break;
                        case Decimal m: writer.WriteDecimal(m.V); break;
                        case Bytes s: writer.WriteBytes(Enumerable.Repeat(s.Fill, s.Length).ToArray()); break;
                    }
            stream.Position = 0;
            using var reader = new SpillReader(stream);
            foreach (var item in items)
            {
                bool same = item switch
                {
                    Byte b => reader.ReadByte() == b.V,
                    Varint v => reader.ReadVarint() == v.V,
                    Int64 l => reader.ReadInt64() == l.V,
                    Double d => reader.ReadDouble().Equals(d.V),
                    Decimal m => decimal.GetBits(reader.ReadDecimal()).SequenceEqual(decimal.GetBits(m.V)),
                    Bytes s => ReadBytes(reader, s.Length).All(x => x == s.Fill),
                    _ => false,
                };
                if (!same) return false;
            }
            return reader.ReadByteOrEnd() == -1;
        }), 60);

    private static byte[] ReadBytes(SpillReader reader, int length)
    {
        var bytes = new byte[length];
        reader.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Keeps the MemoryStream readable after the writer disposes its stream.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
