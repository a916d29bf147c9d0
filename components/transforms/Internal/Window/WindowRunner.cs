using System.Runtime.CompilerServices;
using Ocht.Expressions;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Runs a window step. The watermark (latest merged event time minus the allowed lateness) moves
/// record by record, so what is late and which windows close depends only on the order of the
/// records, never on how they are batched; closed windows are emitted at the end of each batch, in
/// order of start (= order of end: every window has the same size).
/// </summary>
internal sealed class WindowRunner(StepDefinition definition, CompiledExpr time, WindowShape shape, Grouping grouping, Schema outputSchema, int batchSize)
    : StepRunner(definition)
{
    private sealed class Window(long start, long firstSequence, Grouping grouping)
    {
        public long Start { get; } = start;
        /// <summary>The input batch of its first record: the source may be acknowledged only below it while it is open.</summary>
        public long FirstSequence { get; } = firstSequence;
        public GroupTable Groups { get; } = new(grouping);
    }

    private readonly SortedDictionary<long, Window> _open = new();
    private readonly GroupReader _reader = new(grouping);
    private readonly List<Window> _closing = new();
    // The windows and groups one record goes into, and which of them it created (undone if it is rejected).
    private readonly Window[] _windows = new Window[shape.PerRecord];
    private readonly Group[] _groups = new Group[shape.PerRecord];
    private readonly bool[] _newWindow = new bool[shape.PerRecord];
    private readonly bool[] _newGroup = new bool[shape.PerRecord];
    private long _latest = long.MinValue;
    private long _sequence;

    private long Watermark => _latest == long.MinValue ? long.MinValue : _latest - shape.Lateness;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Process(Batch input, StepOutput output)
    {
        _sequence = input.Sequence;
        long merged = 0;
        for (int i = 0; i < input.Count; i++)
        {
            var row = Row.Of(input, i);
            try
            {
                long eventTime = EventTime(row);
                long latestStart = shape.LatestStart(eventTime);
                long watermark = Watermark;
                if (latestStart + shape.Size <= watermark)
                {
                    output.Reject(Reject(input, i, Rejection.Kinds.Late, LateMessage(eventTime, latestStart + shape.Size)));
                    continue;
                }
                if (latestStart - (shape.PerRecord - 1) * shape.Slide < DateTime.MinValue.Ticks || latestStart + shape.Size - 1 > DateTime.MaxValue.Ticks)
                    throw EvalException.Arithmetic($"time: the windows of {ValueText.FormatTimestamp(eventTime)} reach outside the timestamp range (years 1 to 9999)");
                _reader.ReadInputs(row);
                Merge(latestStart, watermark, _reader.Key(row), input.Sequence);
                merged++;
                if (eventTime > _latest) _latest = eventTime;
            }
            catch (EvalException e)
            {
                output.Reject(Reject(input, i, e.Kind, e.Message));
            }
        }
        output.Merge(merged);
        input.Release();
        foreach (var batch in Release(Watermark)) output.Emit(batch);
        HoldsFrom = OldestHeld();
    }

    public override IEnumerable<Batch> Complete(StepOutput output)
    {
        foreach (var batch in Release(long.MaxValue)) yield return batch;
        HoldsFrom = null;
    }

    /// <summary>The record's event time in ticks; a type-error when it is not a time.</summary>
    private long EventTime(in Row row)
    {
        Value v;
        try
        {
            v = time.Eval(row);
        }
        catch (EvalException e)
        {
            throw new EvalException(e.Kind, $"time: {e.Message}");
        }
        switch (v.Kind)
        {
            case ValueKind.Timestamp:
                return v.TimestampTicks;
            case ValueKind.String when ValueText.TryParseTimestamp(v.AsString.AsSpan().Trim(), out long ticks):
                return ticks;
            case ValueKind.String:
                throw EvalException.Type($"time: {ValueJson.ToJson(v)} is not an ISO-8601 timestamp");
            case ValueKind.Int when v.AsInt >= (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond
                                 && v.AsInt <= (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond:
                return DateTime.UnixEpoch.Ticks + v.AsInt * TimeSpan.TicksPerMillisecond;
            case ValueKind.Int:
                throw EvalException.Type($"time: {v.AsInt} ms since 1970 is outside the timestamp range (years 1 to 9999)");
            case ValueKind.Null:
                throw EvalException.Type("time: the event time is null");
            default:
                throw EvalException.Type($"time: the event time must be a timestamp, ISO-8601 text or an int of milliseconds since 1970, found {ValueJson.ToJson(v)} ({v.Kind.ToString().ToLowerInvariant()})");
        }
    }

    private string LateMessage(long eventTime, long lastEnd) =>
        $"event time {ValueText.FormatTimestamp(eventTime)} is behind the watermark {ValueText.FormatTimestamp(Watermark)} " +
        $"(latest event time {ValueText.FormatTimestamp(_latest)} minus allowed_lateness {Durations.Format(shape.Lateness)}): " +
        $"every window it falls in has been emitted, the last one ending {ValueText.FormatTimestamp(lastEnd)}";

    /// <summary>Adds the inputs just read to the record's group in each of its open windows: all of them or, when an aggregate refuses the inputs, none.</summary>
    private void Merge(long latestStart, long watermark, KeyTuple key, long sequence)
    {
        int n = 0;
        for (long start = latestStart; n < _windows.Length && start + shape.Size > watermark; start -= shape.Slide, n++)
        {
            _newWindow[n] = !_open.TryGetValue(start, out var window);
            if (window is null)
            {
                window = new Window(start, sequence, grouping);
                _open.Add(start, window);
            }
            _windows[n] = window;
            _groups[n] = window.Groups.Find(key, out _newGroup[n]);
        }
        try
        {
            for (int k = 0; k < n; k++) _reader.Prepare(_groups[k]);
        }
        catch (EvalException)
        {
            for (int k = n - 1; k >= 0; k--)
            {
                if (_newGroup[k]) _windows[k].Groups.Discard(_groups[k]);
                if (_newWindow[k]) _open.Remove(_windows[k].Start);
            }
            throw;
        }
        for (int k = 0; k < n; k++) GroupReader.Commit(_groups[k]);
    }

    /// <summary>Emits and forgets every window that ends at or before <paramref name="watermark"/>, in order.</summary>
    private IEnumerable<Batch> Release(long watermark)
    {
        _closing.Clear();
        foreach (var (start, window) in _open)
        {
            if (start + shape.Size > watermark) break;
            _closing.Add(window);
        }
        foreach (var window in _closing) _open.Remove(window.Start);
        Batch? current = null;
        foreach (var window in _closing)
        {
            var windowStart = Value.FromTimestampTicks(window.Start);
            var windowEnd = Value.FromTimestampTicks(window.Start + shape.Size);
            foreach (var group in window.Groups.InOrder)
            {
                if (current is { IsFull: true })
                {
                    yield return current;
                    current = null;
                }
                current ??= new Batch(outputSchema, batchSize) { Sequence = _sequence };
                var cells = current.AddRow(0);
                cells[0] = windowStart;
                cells[1] = windowEnd;
                group.WriteTo(cells[2..]);
            }
        }
        _closing.Clear();
        if (current is not null) yield return current;
    }

    private long? OldestHeld()
    {
        long? oldest = null;
        foreach (var window in _open.Values)
            if (oldest is null || window.FirstSequence < oldest) oldest = window.FirstSequence;
        return oldest;
    }
}
