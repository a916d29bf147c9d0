using BenchmarkDotNet.Attributes;
using Ocht.Connectors;
using Ocht.Model;

namespace Ocht.Benchmarks;

/// <summary>The CSV connector: decoding the orders file into batches, and writing batches back.</summary>
[MemoryDiagnoser]
public class CsvBenchmarks
{
    // What W1 reads: the source leaves the other columns out (projection pushdown).
    private static readonly string[] W1Fields = ["order_id", "country", "quantity", "unit_price", "discount", "status"];

    private Orders _orders = null!;

    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _orders = new Orders();
        _bytes = File.ReadAllBytes(_orders.Input);
    }

    [GlobalCleanup]
    public void Cleanup() => _orders.Dispose();

    [Benchmark]
    public Task<long> ReadAllColumns() => ReadAsync(null);

    [Benchmark]
    public Task<long> ReadW1Columns() => ReadAsync(W1Fields);

    /// <summary>The floor under the reads above: CsvHelper finding every field of every row (with the reader options
    /// the source uses), converting none. What a read costs beyond this is Ocht's own decoding.</summary>
    [Benchmark(Baseline = true)]
    public long TokenizeOnly()
    {
        long length = 0;
        var options = new CsvHelper.CsvReaderOptions
        {
            HasHeader = true, TrackLineNumbers = true, MalformedData = CsvHelper.CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvHelper.CsvFieldCountHandling.Allow, BufferSize = 1 << 16,
        };
        using var reader = CsvHelper.CsvReader.Create(_bytes, options);
        while (reader.Read())
            for (int c = 0; c < reader.FieldCount; c++) length += reader.GetSpan(c).Length;
        return length;
    }

    /// <summary>Every orders row, all columns (what W3 writes), into a file renamed into place.</summary>
    [Benchmark]
    public async Task Write()
    {
        var context = new SinkContext("bench", Orders.BatchSize, TimeProvider.System) { Fields = _orders.Batches[0].Schema.Names };
        await using var sink = Connectors.Connectors.All().Single(c => c.Spec.Name == "csv").OpenSink(_orders.Sink("out.csv"), context);
        var refused = new SinkRejections();
        foreach (var batch in _orders.Batches)
        {
            refused.Begin(batch);
            await sink.WriteAsync(batch, refused, CancellationToken.None);
        }
        await sink.CommitAsync(CancellationToken.None);
    }

    private async Task<long> ReadAsync(IReadOnlyList<string>? fields)
    {
        long rows = 0;
        foreach (var batch in await Orders.ReadAsync(_orders.Source("orders.csv"), fields))
        {
            rows += batch.Count;
            batch.Release();
        }
        return rows;
    }
}
