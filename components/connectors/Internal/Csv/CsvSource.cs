using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers;
using System.Text.Unicode;
using CsvHelper;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors;

/// <summary>
/// Reads CSV into typed batches. The header and a sample of the first infer_rows rows (for type
/// inference) are read once; after that the input is cut into chunks at record ends, and each chunk
/// decodes on its own — in parallel when the executor asks — with its own line numbers. Rows that
/// cannot become records (bad quoting, wrong field count, invalid UTF-8, a value of the wrong type)
/// are rejected with their physical line number and raw text. Columns the pipeline never reads are
/// checked but not materialised.
/// </summary>
internal sealed class CsvSource : IChunkedSource
{
    // A chunk of about 256 KiB decodes to about 3,000 rows, which are still in the core's cache when the worker
    // runs the steps after the source over them; a 1 MiB chunk's batches were not (W1 10M CPU -2.8%, and with
    // more chunks in flight, see Run, W1 1.80 -> 1.71 s; 512 and 128 KiB were slower).
    private const int BlockSize = 1 << 18;
    private const int MaxRecordBytes = 64 << 20;

    private readonly ConnectorConfig _config;
    private readonly SourceContext _context;
    private readonly Stream _stream;
    private readonly bool _interactive;
    private readonly string _path;
    private readonly byte _delimiter;
    private readonly Queue<Batch> _decoded = new();
    private Layout? _layout;
    // The short-text caches of each decoding thread, kept for the whole read: repeated values (countries,
    // statuses) come back as the same strings in every chunk instead of fresh ones per chunk, so they are
    // allocated once and soon old, and whatever keeps them (a sort's keys) does not dirty cards for the GC.
    // Not disposed with the source: a decode still running after an abort may reach for it; its finalizer frees it.
    private readonly ThreadLocal<Utf8Text[]> _texts = new();
    private byte[] _buffer = [];
    private int _start, _end;
    private bool _eof;
    private long _nextLine = 1, _sequence;
    // Set once some chunk's records were not one line each: from then on the reader numbers lines itself.
    private volatile bool _readerCountsLines;

    /// <summary>What every chunk decodes with: fixed once the header and sample are read.</summary>
    private sealed record Layout(Schema Schema, string[] Columns, ColumnType[] Types, bool[] Inferred, int[] OutputOf, int InferRows)
    {
        /// <summary>What to do with each column of a chunk that is all valid UTF-8, and of one that is not.</summary>
        public readonly ColumnPlan[] ForUtf8 = ColumnPlan.For(Types, OutputOf, chunkIsUtf8: true);
        public readonly ColumnPlan[] ForAny = ColumnPlan.For(Types, OutputOf, chunkIsUtf8: false);
    }

    private sealed class CsvChunk : SourceChunk
    {
        public required byte[] Buffer { get; init; }
        public required int Length { get; init; }
        public required long FirstLine { get; init; }
        /// <summary>Physical lines in the chunk, a last one without a line end included.</summary>
        public required long Lines { get; init; }
    }

    public CsvSource(ConnectorConfig config, SourceContext context, StandardStreams streams)
    {
        _config = config;
        _context = context;
        string path = FilePaths.Resolve(config, config.Options.String("path")!);
        _path = FilePaths.Describe(config);
        _stream = path == FilePaths.Standard ? streams.Input() : FilePaths.OpenRead(path);
        _interactive = !_stream.CanSeek;
        _delimiter = (byte)config.Options.String("delimiter")![0];
    }

    public static CsvReaderOptions ReaderOptions(ConnectorConfig config, Action<CsvMalformedRecord>? onMalformed) => new()
    {
        HasHeader = config.Options.Bool("header"),
        Separator = config.Options.String("delimiter")![0],
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Skip,
        OnMalformedRecord = onMalformed,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        BufferSize = 1 << 16,
    };

    /// <summary>Column names from header fields: empty names become columnN; a repeated name is an error.</summary>
    public static string[] ColumnNames(IReadOnlyList<string> header, string path)
    {
        var names = header.Select((h, i) => string.IsNullOrEmpty(h) ? $"column{i + 1}" : h).ToArray();
        for (int i = 0; i < names.Length; i++)
            for (int j = 0; j < i; j++)
                if (names[i] == names[j])
                    throw new IOException($"{path}: the header names column \"{names[i]}\" twice (columns {j + 1} and {i + 1})");
        return names;
    }

    public async ValueTask<Batch?> ReadAsync(CancellationToken cancellation)
    {
        while (_decoded.Count == 0)
        {
            if (await ReadChunkAsync(cancellation) is not { } chunk) return null;
            foreach (var batch in Decode(chunk)) _decoded.Enqueue(batch);
        }
        return _decoded.Dequeue();
    }

    public async ValueTask<SourceChunk?> ReadChunkAsync(CancellationToken cancellation)
    {
        _layout ??= await StartAsync(cancellation);
        while (true)
        {
            int end = RecordBoundaries.LastEnd(_buffer.AsSpan(_start, _end - _start), _delimiter);
            if (_eof)
            {
                if (_start == _end) return null;
                end = _end - _start;
            }
            else if (end < 0 || (!_interactive && _end < _buffer.Length))
            {
                // Files fill whole blocks (fewer, larger chunks); pipes hand on what has arrived.
                await FillAsync(grow: end < 0, cancellation);
                continue;
            }
            return TakeChunk(_start + end);
        }
    }

    /// <summary>Hands the bytes up to <paramref name="end"/> to a chunk; the rest moves to a fresh buffer.</summary>
    private CsvChunk TakeChunk(int end)
    {
        var chunkBuffer = _buffer;
        int chunkStart = _start;
        var rest = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, (_end - end) * 2));
        _buffer.AsSpan(end, _end - end).CopyTo(rest);
        _end -= end;
        _start = 0;
        _buffer = rest;
        if (chunkStart > 0)
        {
            // Only the first block starts after the header: move the records to the front.
            Buffer.BlockCopy(chunkBuffer, chunkStart, chunkBuffer, 0, end - chunkStart);
            end -= chunkStart;
        }
        long lines = RecordBoundaries.CountLines(chunkBuffer.AsSpan(0, end));
        bool unended = end > 0 && chunkBuffer[end - 1] is not ((byte)'\n' or (byte)'\r');
        var chunk = new CsvChunk { Buffer = chunkBuffer, Length = end, FirstLine = _nextLine, Lines = lines + (unended ? 1 : 0), Sequence = ++_sequence * SourceChunk.SequenceSpan };
        _nextLine += lines;
        return chunk;
    }

    private async ValueTask FillAsync(bool grow, CancellationToken cancellation)
    {
        if (_buffer.Length == 0 || (grow && _end == _buffer.Length))
        {
            if (_buffer.Length >= MaxRecordBytes)
                throw new IOException($"{_path} line {_nextLine}: no record ends within {MaxRecordBytes >> 20} MiB (a quoted field that is never closed?)");
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, _buffer.Length * 2));
            _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
            if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
            _end -= _start;
            _start = 0;
            _buffer = bigger;
        }
        // A regular file's block comes from the page cache in microseconds: read on this thread. Its ReadAsync would
        // queue the same blocking read to the thread pool, behind the chunks waiting there to be decoded (W1 and W2 10M:
        // 10 of 16 interleaved pairs faster each, medians within 5% either way).
        int read = _interactive
            ? await _stream.ReadAsync(_buffer.AsMemory(_end), cancellation).AsTask().WaitAsync(cancellation)
            : _stream.Read(_buffer.AsSpan(_end));
        if (read == 0) _eof = true;
        _end += read;
    }

    /// <summary>Reads the header and, where types must be inferred, a sample of the first rows.</summary>
    private async ValueTask<Layout> StartAsync(CancellationToken cancellation)
    {
        var o = _config.Options;
        bool header = o.Bool("header"), infer = o.Bool("infer");
        int inferRows = (int)Math.Min(o.Int("infer_rows"), 1_000_000);
        int sampleRows = infer ? inferRows : header ? 0 : 1;

        // Enough input for the header and the sample (or all of it).
        await FillAsync(grow: true, cancellation);
        if (_end >= 3 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8)) _start = 3;
        int headerEnd = 0;
        if (header)
        {
            while ((headerEnd = RecordBoundaries.FirstEnd(_buffer.AsSpan(_start, _end - _start), _delimiter)) < 0 && !_eof)
                await FillAsync(grow: true, cancellation);
            if (headerEnd < 0) headerEnd = _end - _start;
        }
        var samples = new List<SampledRow>();
        while (true)
        {
            samples.Clear();
            int from = _start + headerEnd;
            int complete = _eof ? _end - from : RecordBoundaries.LastEnd(_buffer.AsSpan(from, _end - from), _delimiter);
            if (complete > 0)
            {
                using var reader = CsvReader.Create(_buffer.AsMemory(from, complete), ReaderOptions(_config, null) with { HasHeader = false });
                while (samples.Count < sampleRows && reader.Read()) samples.Add(SampledRow.From(reader));
            }
            if (samples.Count >= sampleRows || _eof || _end - _start >= MaxRecordBytes) break;
            await FillAsync(grow: true, cancellation);
        }

        string[] columns;
        if (header)
        {
            using var reader = CsvReader.Create(_buffer.AsMemory(_start, headerEnd), ReaderOptions(_config, null) with { HasHeader = false });
            columns = reader.Read() ? ColumnNames(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray(), _path) : [];
            _nextLine += RecordBoundaries.CountLines(_buffer.AsSpan(_start, headerEnd));
            _start += headerEnd;
        }
        else columns = samples.Count > 0 ? Enumerable.Range(1, samples[0].Cells.Length).Select(i => $"column{i}").ToArray() : [];

        var declared = o.Map("types").ToDictionary(t => t.Key, t => ColumnTypes.Parse(t.Value.Text!));
        var types = new ColumnType[columns.Length];
        var inferred = new bool[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            if (declared.TryGetValue(columns[c], out var t)) types[c] = t;
            else if (infer)
            {
                types[c] = ColumnTypes.Infer(samples.Where(r => r.Cells.Length == columns.Length && r.Cells[c].Length > 0).Select(r => r.Cells[c]));
                inferred[c] = true;
            }
        }
        var wanted = _context.Fields?.ToHashSet(StringComparer.Ordinal);
        var kept = columns.Where(c => wanted is null || wanted.Contains(c)).ToArray();
        var outputOf = columns.Select(c => Array.IndexOf(kept, c)).ToArray();
        return new Layout(Schema.Of(kept), columns, types, inferred, outputOf, inferRows);
    }

    public IReadOnlyList<Batch> Decode(SourceChunk chunk)
    {
        var c = (CsvChunk)chunk;
        try
        {
            // Records are numbered by counting them, which is right while each is one line, and cheaper than the
            // reader counting the line breaks in every record. When the count falls short of the chunk's lines (a
            // line break in quotes, a blank line), the chunk is read again with the reader's own line numbers, and
            // so is every later chunk of the input.
            if (!_readerCountsLines && TryDecode(c, readerCountsLines: false) is { } batches) return batches;
            _readerCountsLines = true;
            return TryDecode(c, readerCountsLines: true)!;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(c.Buffer);
        }
    }

    /// <summary>The chunk's batches; null when records were numbered by counting and that numbering does not hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<Batch>? TryDecode(CsvChunk c, bool readerCountsLines)
    {
        var layout = _layout!;
        var batches = new List<Batch>();
        var malformed = new List<Rejection>();
        var texts = _texts.Value ??= new Utf8Text[layout.Columns.Length];
        var batch = new Batch(layout.Schema, _context.BatchSize, _context.SpareFields) { Sequence = c.Sequence };
        long next = c.Sequence, records = 0;
        // One vectorised pass over the chunk spares checking each unread text field on its own.
        bool chunkIsUtf8 = Utf8.IsValid(c.Buffer.AsSpan(0, c.Length));
        try
        {
            var options = ReaderOptions(_config, m => malformed.Add(Malformed(m, c.FirstLine + (readerCountsLines ? m.LineNumber : ++records) - 1)))
                with { HasHeader = false, TrackLineNumbers = readerCountsLines };
            using var reader = CsvReader.Create(c.Buffer.AsMemory(0, c.Length), options);
            while (reader.Read())
            {
                if (batch.IsFull)
                {
                    batches.Add(batch);
                    batch = new Batch(layout.Schema, _context.BatchSize, _context.SpareFields) { Sequence = ++next };
                }
                Convert(reader, c.FirstLine + (readerCountsLines ? reader.LineNumber : ++records) - 1, batch, layout, texts, chunkIsUtf8, c.Buffer);
                foreach (var m in malformed) batch.AddRejection(m);
                malformed.Clear();
            }
            foreach (var m in malformed) batch.AddRejection(m);
        }
        catch (CsvFormatException e)
        {
            throw new IOException($"{_path}: {e.Message}", e);
        }
        batches.Add(batch);
        if (!readerCountsLines && records != c.Lines)
        {
            foreach (var b in batches) b.Release();
            return null;
        }
        if (batch.Count == 0 && batch.Rejections is null)
        {
            batches.RemoveAt(batches.Count - 1);
            batch.Release();
        }
        return batches;
    }

    /// <summary>Adds the reader's current row to the batch, or rejects it with its reason.</summary>
    private void Convert(CsvReader reader, long line, Batch batch, Layout layout, Utf8Text[] texts, bool chunkIsUtf8, byte[] chunk)
    {
        var plans = chunkIsUtf8 ? layout.ForUtf8 : layout.ForAny;
        if (reader.FieldCount != plans.Length)
        {
            batch.AddRejection(new Rejection(Rejection.Kinds.Parse,
                $"the row has {reader.FieldCount} field{(reader.FieldCount == 1 ? "" : "s")} but there are {plans.Length} columns", line, null, Raw(reader), null, "source"));
            return;
        }
        var cells = batch.AddRow(line);
        for (int c = 0; c < plans.Length; c++)
        {
            var plan = plans[c];
            if (plan.Action == ColumnAction.Skip) continue;
            var text = reader.GetSpan(c);
            if (text.IsEmpty)
            {
                if (plan.Slot >= 0) cells[plan.Slot] = plan.Action == ColumnAction.Text && reader.GetRawSpan(c).Length >= 2 ? Value.FromString("") : Value.Null;
                continue;
            }
            // The common types are parsed here, straight into their cells; a column the pipeline never reads is only checked.
            switch (plan.Action)
            {
                case ColumnAction.Int:
                    if (!TryParseInt(text, chunk, out long l)) break;
                    cells[plan.Slot] = Value.FromInt(l);
                    continue;
                case ColumnAction.CheckInt:
                    if (TryParseInt(text, chunk, out _)) continue;
                    break;
                case ColumnAction.Timestamp:
                    if (!ValueText.TryParseTimestampUtf8(text, out long ticks)) break;
                    cells[plan.Slot] = Value.FromTimestampTicks(ticks);
                    continue;
                case ColumnAction.CheckTimestamp:
                    if (ValueText.IsTimestampUtf8(text)) continue;
                    break;
                case ColumnAction.Decimal:
                    if (ValueText.TryParseScaled(text, out long mantissa, out int scale))
                    {
                        cells[plan.Slot] = Value.FromScaledExact(mantissa, scale);
                        continue;
                    }
                    if (!ColumnTypes.TryParseDecimal(text, out var number)) break;
                    cells[plan.Slot] = number;
                    continue;
                case ColumnAction.CheckDecimal:
                    if (ColumnTypes.TryParseDecimal(text, out _)) continue;
                    break;
                case ColumnAction.Text:
                    if ((texts[c] ??= new Utf8Text()).Decode(text) is not { } decoded) break;
                    cells[plan.Slot] = Value.FromText(decoded);
                    continue;
                case ColumnAction.CheckText:
                    if (Utf8.IsValid(text)) continue;
                    break;
                default:
                    if (!(plan.Action == ColumnAction.Float ? ColumnTypes.TryParseFloat(text, out var value) : ColumnTypes.TryParseBool(text, out value))) break;
                    if (plan.Slot >= 0) cells[plan.Slot] = value;
                    continue;
            }
            if (layout.Types[c] == ColumnType.String)
            {
                Reject(batch, reader, line, Rejection.Kinds.Parse, $"column \"{layout.Columns[c]}\" is not valid UTF-8");
                return;
            }
            string why = layout.Inferred[c] ? $" (inferred from the first {layout.InferRows} rows; set \"types\" to override)" : "";
            Reject(batch, reader, line, Rejection.Kinds.Type,
                $"column \"{layout.Columns[c]}\" is {ColumnTypes.Name(layout.Types[c])}{why}, but \"{Utf8Text.Lossy(text)}\" is not {ColumnTypes.Describe(layout.Types[c])}");
            return;
        }
    }

    /// <summary>An int field: up to 8 digits read as one word when the chunk holds 8 bytes that end with the field's last
    /// (a field the reader unescaped lies elsewhere, and a field at the chunk's very start has too few before it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseInt(ReadOnlySpan<byte> text, byte[] chunk, out long value)
    {
        ref byte last = ref Unsafe.Add(ref MemoryMarshal.GetReference(text), text.Length - 1);
        nint end = Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(chunk), ref last) + 1;
        if (BitConverter.IsLittleEndian && text.Length <= 8 && end >= 8 && end <= chunk.Length
            && ValueText.TryParseDigits8(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref last, -7)), text.Length, out value))
            return true;
        return ValueText.TryParseInt(text, out value);
    }

    private static void Reject(Batch batch, CsvReader reader, long line, string kind, string message)
    {
        batch.RemoveLastRow();
        batch.AddRejection(new Rejection(kind, message, line, null, Raw(reader), null, "source"));
    }

    private static string Raw(CsvReader reader) => TrimLineEnd(Utf8Text.Lossy(reader.RawRecord));

    private static Rejection Malformed(CsvMalformedRecord m, long line)
    {
        string why = m.Reason switch
        {
            CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
            CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
            CsvMalformedReason.UnterminatedQuote => "a quoted field that is never closed",
            CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
            CsvMalformedReason.TrailingEscape => "an escape character at the end of the row",
            _ => "bad CSV",
        };
        return new Rejection(Rejection.Kinds.Parse, $"malformed row: {why}", line, null, TrimLineEnd(m.RawRecord), null, "source");
    }

    public ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        return _stream.DisposeAsync();
    }

    private static string TrimLineEnd(string raw) => raw.TrimEnd('\r', '\n');

    /// <summary>A row copied out of the reader while sampling for type inference.</summary>
    private sealed record SampledRow(byte[][] Cells)
    {
        public static SampledRow From(CsvReader r)
        {
            var cells = new byte[r.FieldCount][];
            for (int i = 0; i < cells.Length; i++) cells[i] = r.GetSpan(i).ToArray();
            return new SampledRow(cells);
        }
    }
}
