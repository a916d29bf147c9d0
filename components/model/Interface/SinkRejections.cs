using Ocht.Values;

namespace Ocht.Model;

/// <summary>
/// Where sinks put the rows of a batch they cannot take. The run counts each record once however many
/// sinks refuse it: rows of a routed sub-batch are mapped back to the batch that reached the sinks.
/// </summary>
public sealed class SinkRejections
{
    private readonly List<Rejection> _items = new();
    private readonly HashSet<int> _records = new();
    private Batch? _batch;
    private int[]? _origin;

    public IReadOnlyList<Rejection> Items => _items;
    /// <summary>How many different records were refused (by any sink).</summary>
    public int Records => _records.Count;

    /// <summary>The next writes are of <paramref name="batch"/>; <paramref name="origin"/> maps its rows
    /// to rows of the batch that reached the sinks (null: they are the same rows).</summary>
    public void Begin(Batch batch, int[]? origin = null)
    {
        _batch = batch;
        _origin = origin;
    }

    /// <summary>The sink cannot take row <paramref name="row"/> of the current batch.</summary>
    public void Reject(int row, string kind, string message)
    {
        var batch = _batch ?? throw new InvalidOperationException("Begin must be called before Reject");
        _items.Add(new Rejection(kind, message, batch.LineOf(row), batch.GetRecord(row), null, null, "sink"));
        _records.Add(_origin?[row] ?? row);
    }

    public void Clear()
    {
        _items.Clear();
        _records.Clear();
        _batch = null;
        _origin = null;
    }
}
