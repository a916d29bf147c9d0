using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors;

/// <summary>
/// Reads JSON Lines into batches. Records with the same fields share a schema and a batch; a new
/// field set starts a new batch. From a pipe (standard input) a batch is handed on as soon as no more
/// input is waiting, so output flows while the input is still open.
/// </summary>
internal sealed class JsonlSource : ISource
{
    private const int MaxLineBytes = 64 << 20;

    private readonly Stream _stream;
    private readonly bool _interactive;
    private readonly int _batchSize;
    private readonly JsonRecordReader _json = new();
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private long _line;
    private bool _eof, _skippingLongLine;
    private long _sequence;
    private (Schema Schema, Value[] Values, long Line)? _carry;

    public JsonlSource(ConnectorConfig config, SourceContext context, StandardStreams streams)
    {
        string path = FilePaths.Resolve(config, config.Options.String("path")!);
        _stream = path == FilePaths.Standard ? streams.Input() : FilePaths.OpenRead(path);
        _interactive = !_stream.CanSeek;
        _batchSize = context.BatchSize;
    }

    public async ValueTask<Batch?> ReadAsync(CancellationToken cancellation)
    {
        Batch? batch = null;
        if (_carry is { } carried)
        {
            batch = NewBatch(carried.Schema);
            batch.AddRow(carried.Values, carried.Line);
            _carry = null;
        }
        while (true)
        {
            LineState state;
            while ((state = TakeLine(out var line)) != LineState.None)
            {
                _line++;
                if (state == LineState.TooLong)
                {
                    batch ??= NewBatch(Schema.Empty);
                    batch.AddRejection(new Rejection(Rejection.Kinds.Parse, $"the line is longer than {MaxLineBytes >> 20} MiB", _line, null, "", null, "source"));
                    continue;
                }
                if (!Parse(line, ref batch)) return batch;
                if (batch is not null && batch.Count >= _batchSize) return batch;
            }
            if (_eof) return batch is { Count: > 0 } or { Rejections: not null } ? batch : null;
            if (_interactive && batch is { Count: > 0 } or { Rejections: not null }) return batch;
            await FillAsync(cancellation);
        }
    }

    /// <summary>Adds a parsed line to the batch; false when it needs a new batch (its fields differ) and was carried over.</summary>
    private bool Parse(ReadOnlySpan<byte> line, ref Batch? batch)
    {
        if (line.Trim(" \t\r"u8).IsEmpty) return true;
        if (_json.TryRead(line, out var schema, out var values, out var error))
        {
            if (batch is null || batch.Count == 0 && batch.Rejections is null) batch = NewBatch(schema);
            else if (!ReferenceEquals(batch.Schema, schema))
            {
                _carry = (schema, values.ToArray(), _line);
                return false;
            }
            batch.AddRow(values, _line);
            return true;
        }
        batch ??= NewBatch(Schema.Empty);
        batch.AddRejection(new Rejection(Rejection.Kinds.Parse, error!, _line, null, Utf8Text.Lossy(line), null, "source"));
        return true;
    }

    private Batch NewBatch(Schema schema) => new(schema, _batchSize) { Sequence = ++_sequence };

    private enum LineState { None, Line, TooLong }

    /// <summary>The next complete line in the buffer without its line break (or the unterminated last
    /// line at end of input); TooLong for a line whose bytes were dropped for exceeding the limit.</summary>
    private LineState TakeLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        var pending = _buffer.AsSpan(_start, _end - _start);
        int newline = pending.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            line = pending[..newline];
            _start += newline + 1;
        }
        else if (_eof && (!pending.IsEmpty || _skippingLongLine))
        {
            line = pending;
            _start = _end;
        }
        else return LineState.None;
        if (_skippingLongLine)
        {
            _skippingLongLine = false;
            return LineState.TooLong;
        }
        if (_line == 0 && line.StartsWith("\uFEFF"u8)) line = line[3..];
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        return LineState.Line;
    }

    private async ValueTask FillAsync(CancellationToken cancellation)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                // Keep the line count right: drop the overlong line's bytes, reject it when its end arrives.
                _skippingLongLine = true;
                _end = 0;
            }
            else Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        // Reads from a pipe ignore cancellation, so stopping does not wait for the next line to arrive.
        int read = _interactive
            ? await _stream.ReadAsync(_buffer.AsMemory(_end), cancellation).AsTask().WaitAsync(cancellation)
            : await _stream.ReadAsync(_buffer.AsMemory(_end), cancellation);
        if (read == 0) _eof = true;
        _end += read;
    }

    public ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
