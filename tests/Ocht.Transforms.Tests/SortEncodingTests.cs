using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

/// <summary>The sort's in-memory and spill encoding of rows: values, arena pages, and a spill that fails.</summary>
public class SortEncodingTests
{
    private static readonly FsCheck.Gen<decimal> Decimals =
        Gen.Zip(Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue)),
                Gen.Zip(Gen.Elements(0, 0, 1, -1, int.MaxValue), Gen.Zip(Gen.Elements(false, true), Gen.Choose(0, 28))))
           .Select(t => new decimal(t.Item1.Item1, t.Item1.Item2, t.Item2.Item1, t.Item2.Item2.Item1, (byte)t.Item2.Item2.Item2));

    /// <summary>Decimals keep every bit (mantissa, scale, the sign of a zero) whether the compact or the full form is used.</summary>
    [Fact]
    public void Decimals_come_back_with_the_same_bits() =>
        Properties.Check(Prop.ForAll(Decimals.ArrayOf().ToArbitrary(), decimals =>
        {
            var values = decimals.Select(Value.FromDecimal).Append(Value.FromDecimal(new decimal(0, 0, 0, true, 2))).ToArray();
            var decoded = RoundTrip(values);
            for (int i = 0; i < values.Length; i++)
                if (!decimal.GetBits(decoded[i].AsDecimal).SequenceEqual(decimal.GetBits(values[i].AsDecimal))) return false;
            return true;
        }), 300);

    [Fact]
    public void Every_kind_of_value_comes_back_unchanged()
    {
        Value[] values =
        [
            Value.Null, Value.True, Value.False, Value.FromInt(long.MinValue), Value.FromInt(-1), Value.FromFloat(-0.0), Value.FromFloat(double.NaN),
            Value.FromString(""), Value.FromString("\uD800 lone"), Value.FromString(new string('é', 70_000)), Value.FromTimestampTicks(638_000_000_000_000_123L),
            Value.FromDecimal(decimal.MaxValue), Value.FromDecimal(12.00m),
            Value.FromList([Value.FromInt(1), Value.FromString("x")]), Value.FromMap(MapValue.Of(("a", 1L), ("b", Value.Null))),
        ];
        var decoded = RoundTrip(values);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(ValueOrder.StrictEquals(values[i], decoded[i]), $"value {i}: {values[i]} came back as {decoded[i]}");
            Assert.Equal(values[i].ToString(), decoded[i].ToString());
        }
    }

    private static Value[] RoundTrip(Value[] values)
    {
        var writer = new SpillWriter();
        new ValueEncoder(writer).WriteValues(values);
        var bytes = writer.Written.ToArray();
        var reader = new SpillReader();
        reader.Load(bytes, 0, bytes.Length);
        var decoded = new Value[values.Length];
        new ValueDecoder(reader).ReadValues(decoded, 0);
        Assert.Equal(-1, reader.ReadByteOrEnd());
        return decoded;
    }

    [Theory]
    [InlineData(RowArena.MaxPageSize)]
    [InlineData(64 << 10)]
    public void Rows_keep_their_bytes_across_pages_and_after_a_clear(int pageSize)
    {
        var arena = new RowArena(pageSize);
        for (int pass = 0; pass < 2; pass++)
        {
            var rows = new List<(long Location, byte[] Bytes)>();
            var random = new Random(pass);
            // Enough rows to fill several pages, with one row larger than a page among them.
            for (int i = 0; i < 3_000; i++)
            {
                var bytes = new byte[i == 1_500 ? pageSize + (1 << 20) : random.Next(1, 9_000)];
                random.NextBytes(bytes);
                rows.Add((arena.Append(bytes), bytes));
            }
            foreach (var (location, bytes) in rows)
                Assert.True(arena.Page(location).AsSpan(RowArena.Offset(location), bytes.Length).SequenceEqual(bytes));
            Assert.True(arena.Bytes >= rows.Sum(r => (long)r.Bytes.Length));
            arena.Clear();
            Assert.Equal(0, arena.Bytes);
        }
    }

    [Fact]
    public void A_spill_that_cannot_write_fails_the_step_with_its_error()
    {
        var records = Enumerable.Range(0, 500).Select(i => Record.Of(("n", (i * 37) % 101), ("s", $"row {i}"))).ToArray();
        var step = Harness.Compile("""{"op": "sort", "by": [":n"]}""");
        var resources = new StepResources { BatchSize = 10, MemoryBudgetBytes = 2000, Spill = () => new FullDisk() };
        var error = Assert.Throws<IOException>(() =>
        {
            using var runner = step.CreateRunner(resources);
            var output = new StepOutput();
            foreach (var batch in Batch.FromRecords(records, 10))
            {
                output.Clear();
                runner.Process(batch, output);
            }
            foreach (var _ in runner.Complete(output)) { }
        });
        Assert.Equal("No space left on device", error.Message);
    }

    /// <summary>A run torn down while a spill is still writing (a failure elsewhere) waits for that spill before the
    /// store is disposed, so nothing writes into a deleted store.</summary>
    [Fact]
    public void Disposing_waits_for_a_spill_in_progress_before_the_store_goes()
    {
        var records = Enumerable.Range(0, 40).Select(i => Record.Of(("n", 40 - i), ("s", $"row {i}"))).ToArray();
        var step = Harness.Compile("""{"op": "sort", "by": [":n"]}""");
        var store = new SlowDisk();
        var resources = new StepResources { BatchSize = 10, MemoryBudgetBytes = 2000, Spill = () => store };
        using (var runner = step.CreateRunner(resources))
        {
            var output = new StepOutput();
            foreach (var batch in Batch.FromRecords(records, 10))
            {
                output.Clear();
                runner.Process(batch, output);
            }
            Assert.True(store.Created > 0, "the budget should have made the sort spill");
        }
        Assert.True(store.Disposed);
        Assert.Equal(0, store.WritesAfterDispose);
        Assert.Equal(store.Created, store.Finished);
    }

    /// <summary>Spill runs whose writes take a while, recording any write after the store was disposed.</summary>
    private sealed class SlowDisk : ISpillStore
    {
        private int _created, _finished, _writesAfterDispose;
        public int Created => Volatile.Read(ref _created);
        public int Finished => Volatile.Read(ref _finished);
        public int WritesAfterDispose => Volatile.Read(ref _writesAfterDispose);
        public bool Disposed { get; private set; }

        public (int Id, Stream Stream) Create() => (Interlocked.Increment(ref _created), new Slow(this));
        public Stream Open(int id) => throw new InvalidOperationException("the test never merges");
        public void Delete(int id) { }
        public void Dispose() => Disposed = true;

        private sealed class Slow(SlowDisk disk) : MemoryStream
        {
            public override void Write(byte[] buffer, int offset, int count)
            {
                Thread.Sleep(50);
                if (disk.Disposed) Interlocked.Increment(ref disk._writesAfterDispose);
                base.Write(buffer, offset, count);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) Interlocked.Increment(ref disk._finished);
                base.Dispose(disposing);
            }
        }
    }

    private sealed class FullDisk : ISpillStore
    {
        public (int Id, Stream Stream) Create() => (1, new Refusing());
        public Stream Open(int id) => throw new InvalidOperationException("nothing was written");
        public void Delete(int id) { }
        public void Dispose() { }

        private sealed class Refusing : MemoryStream
        {
            public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
            public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");
        }
    }
}
