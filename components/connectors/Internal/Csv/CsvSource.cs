using CsvHelper;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors;

/// <summary>
/// Reads CSV into typed batches. Column types come from "types", else from a sample of the first
/// infer_rows rows, else text. Rows that cannot become records (bad quoting, wrong field count,
/// invalid UTF-8, a value of the wrong type) are rejected with their physical line number and raw text.
/// </summary>
internal sealed class CsvSource : ISource
{
    private readonly ConnectorConfig _config;
    private readonly SourceContext _context;
    private readonly CsvReader _reader;
    private readonly string _path;
    private readonly List<Rejection> _malformed = new();
    private readonly Queue<SampledRow> _pending = new();
    private Schema _schema = Schema.Empty;
    private ColumnType[] _types = [];
    private bool[] _inferred = [];
    private Utf8Text[] _texts = [];
    private int _inferRows;
    private bool _started, _finished;
    private long _sequence;

    public CsvSource(ConnectorConfig config, SourceContext context, StandardStreams streams)
    {
        _config = config;
        _context = context;
        string path = FilePaths.Resolve(config, config.Options.String("path")!);
        _path = FilePaths.Describe(config);
        var options = ReaderOptions(config, OnMalformed);
        _reader = path == FilePaths.Standard
            ? CsvReader.Create(streams.Input(), options, leaveOpen: false)
            : CsvReader.Create(FilePaths.OpenRead(path), options, leaveOpen: false);
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

    /// <summary>Column names from the header (empty names become columnN; a repeated name is an error);
    /// for header-less files, null (the first row decides).</summary>
    public static IReadOnlyList<string>? Columns(CsvReader reader, bool header, string path)
    {
        if (!header) return null;
        var names = reader.Headers.Select((h, i) => string.IsNullOrEmpty(h) ? $"column{i + 1}" : h).ToArray();
        for (int i = 0; i < names.Length; i++)
            for (int j = 0; j < i; j++)
                if (names[i] == names[j])
                    throw new IOException($"{path}: the header names column \"{names[i]}\" twice (columns {j + 1} and {i + 1})");
        return names;
    }

    public ValueTask<Batch?> ReadAsync(CancellationToken cancellation)
    {
        try
        {
            return ValueTask.FromResult(Read(cancellation));
        }
        catch (CsvFormatException e)
        {
            throw new IOException($"{_path}: {e.Message}", e);
        }
    }

    private Batch? Read(CancellationToken cancellation)
    {
        if (!_started) Start();
        if (_finished && _pending.Count == 0 && _malformed.Count == 0) return null;
        var batch = new Batch(_schema, _context.BatchSize) { Sequence = ++_sequence };
        while (batch.Count < _context.BatchSize)
        {
            if ((batch.Count & 1023) == 1023) cancellation.ThrowIfCancellationRequested();
            if (_pending.TryDequeue(out var sampled))
            {
                var row = new SampledCells(sampled);
                Convert(ref row, batch);
            }
            else if (!_finished && _reader.Read())
            {
                var row = new LiveCells(_reader);
                Convert(ref row, batch);
            }
            else
            {
                _finished = true;
                break;
            }
            MoveMalformed(batch);
        }
        MoveMalformed(batch);
        return batch.Count == 0 && batch.Rejections is null ? null : batch;
    }

    /// <summary>Reads the columns and, where types must be inferred, a sample of rows (kept for reading).</summary>
    private void Start()
    {
        _started = true;
        var o = _config.Options;
        bool header = o.Bool("header");
        var columns = Columns(_reader, header, _path);
        bool infer = o.Bool("infer");
        _inferRows = (int)Math.Min(o.Int("infer_rows"), 1_000_000);
        int sample = infer ? _inferRows : header ? 0 : 1;
        while (_pending.Count < sample && _reader.Read())
            _pending.Enqueue(SampledRow.From(_reader));
        _finished = _pending.Count < sample;
        columns ??= _pending.Count > 0 ? Enumerable.Range(1, _pending.Peek().Cells.Length).Select(i => $"column{i}").ToArray() : [];
        _schema = Schema.Of(columns.ToArray());
        var declared = o.Map("types").ToDictionary(t => t.Key, t => ColumnTypes.Parse(t.Value.Text!));
        _types = new ColumnType[columns.Count];
        _inferred = new bool[columns.Count];
        _texts = columns.Select(_ => new Utf8Text()).ToArray();
        for (int c = 0; c < columns.Count; c++)
        {
            if (declared.TryGetValue(columns[c], out var t)) _types[c] = t;
            else if (infer)
            {
                _types[c] = ColumnTypes.Infer(_pending.Where(r => r.Cells.Length == columns.Count && r.Cells[c].Length > 0).Select(r => r.Cells[c]));
                _inferred[c] = true;
            }
        }
    }

    /// <summary>Adds one row to the batch, or rejects it with its reason.</summary>
    private void Convert<T>(ref T row, Batch batch) where T : struct, ICells, allows ref struct
    {
        int width = _schema.Width;
        if (row.Count != width)
        {
            batch.AddRejection(new Rejection(Rejection.Kinds.Parse,
                $"the row has {row.Count} field{(row.Count == 1 ? "" : "s")} but there are {width} columns", row.Line, null, row.Raw(), null, "source"));
            return;
        }
        var cells = batch.AddRow(row.Line);
        for (int c = 0; c < width; c++)
        {
            var text = row.Cell(c);
            if (text.IsEmpty)
            {
                cells[c] = _types[c] == ColumnType.String && row.QuotedEmpty(c) ? Value.FromString("") : Value.Null;
                continue;
            }
            if (_types[c] == ColumnType.String)
            {
                var s = _texts[c].Decode(text);
                if (s is not null) { cells[c] = Value.FromString(s); continue; }
                Reject(batch, ref row, Rejection.Kinds.Parse, $"column \"{_schema[c]}\" is not valid UTF-8");
                return;
            }
            if (ColumnTypes.TryParse(_types[c], text, out var value)) { cells[c] = value; continue; }
            string why = _inferred[c] ? $" (inferred from the first {_inferRows} rows; set \"types\" to override)" : "";
            Reject(batch, ref row, Rejection.Kinds.Type,
                $"column \"{_schema[c]}\" is {ColumnTypes.Name(_types[c])}{why}, but \"{Utf8Text.Lossy(text)}\" is not {ColumnTypes.Describe(_types[c])}");
            return;
        }
    }

    private static void Reject<T>(Batch batch, ref T row, string kind, string message) where T : struct, ICells, allows ref struct
    {
        batch.RemoveLastRow();
        batch.AddRejection(new Rejection(kind, message, row.Line, null, row.Raw(), null, "source"));
    }

    private void OnMalformed(CsvMalformedRecord m)
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
        _malformed.Add(new Rejection(Rejection.Kinds.Parse, $"malformed row: {why}", m.LineNumber, null, TrimLineEnd(m.RawRecord), null, "source"));
    }

    private void MoveMalformed(Batch batch)
    {
        if (_malformed.Count == 0) return;
        foreach (var r in _malformed) batch.AddRejection(r);
        _malformed.Clear();
    }

    public ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static string TrimLineEnd(string raw) => raw.TrimEnd('\r', '\n');

    /// <summary>One row's cells, from the live reader or from the inference sample.</summary>
    private interface ICells
    {
        int Count { get; }
        long Line { get; }
        ReadOnlySpan<byte> Cell(int i);
        bool QuotedEmpty(int i);
        string Raw();
    }

    private readonly ref struct LiveCells(CsvReader reader) : ICells
    {
        private readonly CsvReader _reader = reader;
        public int Count => _reader.FieldCount;
        public long Line => _reader.LineNumber;
        public ReadOnlySpan<byte> Cell(int i) => _reader.GetSpan(i);
        public bool QuotedEmpty(int i) => _reader.GetRawSpan(i).Length >= 2;
        public string Raw() => TrimLineEnd(Utf8Text.Lossy(_reader.RawRecord));
    }

    private readonly ref struct SampledCells(SampledRow row) : ICells
    {
        private readonly SampledRow _row = row;
        public int Count => _row.Cells.Length;
        public long Line => _row.Line;
        public ReadOnlySpan<byte> Cell(int i) => _row.Cells[i];
        public bool QuotedEmpty(int i) => _row.QuotedEmpty[i];
        public string Raw() => _row.Raw;
    }

    /// <summary>A row copied out of the reader while sampling.</summary>
    private sealed record SampledRow(long Line, byte[][] Cells, bool[] QuotedEmpty, string Raw)
    {
        public static SampledRow From(CsvReader r)
        {
            var cells = new byte[r.FieldCount][];
            var quoted = new bool[r.FieldCount];
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = r.GetSpan(i).ToArray();
                quoted[i] = cells[i].Length == 0 && r.GetRawSpan(i).Length >= 2;
            }
            return new SampledRow(r.LineNumber, cells, quoted, TrimLineEnd(Utf8Text.Lossy(r.RawRecord)));
        }
    }
}
