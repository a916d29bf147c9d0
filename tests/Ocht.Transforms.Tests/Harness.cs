using Ocht.Document;
using Ocht.Expressions;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Transforms.Tests;

/// <summary>Spill runs in memory, recording what was created and removed.</summary>
internal sealed class MemorySpill : ISpillStore
{
    private readonly Dictionary<int, byte[]> _runs = new();
    private int _next;
    public int Created { get; private set; }
    public int Live => _runs.Count;
    public bool Disposed { get; private set; }

    public (int Id, Stream Stream) Create()
    {
        int id = ++_next;
        Created++;
        return (id, new Capture(bytes => _runs[id] = bytes));
    }

    public Stream Open(int id) => new MemoryStream(_runs[id], writable: false);
    public void Delete(int id) => _runs.Remove(id);
    public void Dispose() { Disposed = true; _runs.Clear(); }

    private sealed class Capture(Action<byte[]> done) : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing) done(ToArray());
            base.Dispose(disposing);
        }
    }
}

/// <summary>Compiles steps from JSON and pushes records through them, keeping every count.</summary>
internal sealed class Harness
{
    public List<Record> Output { get; } = new();
    public List<Rejection> Rejections { get; } = new();
    public long In, Out, Dropped, Rejected, Merged, Held;
    public MemorySpill Spill { get; } = new();
    /// <summary>What the runner still claimed to hold after Complete (must be null).</summary>
    public long? HeldAtEnd { get; private set; }

    public static StepDefinition Compile(string stepJson, FieldScope? scope = null, StepCompileContext? context = null)
    {
        var d = new Diagnostics();
        var step = Steps.Compile(0, DocParser.Parse(stepJson).Root!, scope ?? FieldScope.Unknown, context ?? new StepCompileContext(), d, out _);
        Assert.False(d.HasErrors, string.Join("; ", d.Items));
        return step!;
    }

    public static IReadOnlyList<Diagnostic> Problems(string stepJson, FieldScope? scope = null)
    {
        var d = new Diagnostics();
        Steps.Compile(0, DocParser.Parse(stepJson).Root!, scope ?? FieldScope.Unknown, new StepCompileContext(), d, out _);
        return d.Sorted();
    }

    public static Harness Run(string stepJson, IEnumerable<Record> records, int batchSize = 3, long memoryBytes = 64L << 20, IReadOnlyList<Record>? table = null,
        int spareFields = 0) =>
        Feed(stepJson, Batch.FromRecords(records, batchSize, firstLine: 2, spareFields), batchSize, memoryBytes, table);

    /// <summary>Feeds the records in input batches of the given sizes (the last one takes the rest), as a stream cut at random would.</summary>
    public static Harness RunSplit(string stepJson, IReadOnlyList<Record> records, IEnumerable<int> sizes, int batchSize = 3) =>
        Feed(stepJson, Split(records, sizes), batchSize, 64L << 20, null);

    private static IEnumerable<Batch> Split(IReadOnlyList<Record> records, IEnumerable<int> sizes)
    {
        int at = 0;
        using var size = sizes.GetEnumerator();
        while (at < records.Count)
        {
            int n = size.MoveNext() ? Math.Clamp(size.Current, 1, records.Count - at) : records.Count - at;
            foreach (var batch in Batch.FromRecords(records.Skip(at).Take(n), n, firstLine: 2 + at)) yield return batch;
            at += n;
        }
    }

    private static Harness Feed(string stepJson, IEnumerable<Batch> batches, int batchSize, long memoryBytes, IReadOnlyList<Record>? table)
    {
        var h = new Harness();
        var step = Compile(stepJson, context: new StepCompileContext());
        var resources = new StepResources { BatchSize = batchSize, MemoryBudgetBytes = memoryBytes, Spill = () => h.Spill, LoadTable = _ => table ?? [] };
        using var runner = step.CreateRunner(resources);
        var output = new StepOutput();
        long sequence = 0;
        foreach (var batch in batches)
        {
            batch.Sequence = ++sequence;
            h.In += batch.Count;
            output.Clear();
            runner.Process(batch, output);
            h.Collect(output);
            foreach (var b in output.Batches) h.Take(b);
        }
        output.Clear();
        foreach (var b in runner.Complete(output)) h.Take(b);
        h.Collect(output);
        h.HeldAtEnd = runner.HoldsFrom;
        return h;
    }

    private void Take(Batch b)
    {
        Out += b.Count;
        Output.AddRange(b.Records());
    }

    private void Collect(StepOutput o)
    {
        Dropped += o.Dropped;
        Merged += o.Merged;
        Held += o.Held;
        Rejected += o.Rejections.Count;
        Rejections.AddRange(o.Rejections);
    }

    public bool Balances(bool aggregating = false) =>
        Held == 0 && In == (aggregating ? Merged + Rejected + Dropped : Out + Dropped + Rejected + Merged);

    public IEnumerable<string> Json => Output.Select(r => r.ToString());
}
