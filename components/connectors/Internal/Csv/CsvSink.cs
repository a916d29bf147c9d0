using System.Runtime.CompilerServices;
using System.Buffers;
using CsvHelper;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors;

/// <summary>
/// Writes records as CSV with minimal quoting. Columns are "fields" if given, else the first record's
/// fields. Null is an empty field; the empty text is written "" so the two stay apart. Output goes to
/// a temporary file renamed into place on commit.
/// </summary>
internal sealed class CsvSink : ISink
{
    private readonly FileTarget _target;
    private readonly CsvWriter _writer;
    private readonly bool _header;
    private readonly bool _explicitColumns;
    private Schema? _columns;
    private readonly Dictionary<Schema, int[]> _maps = new(ReferenceEqualityComparer.Instance);

    public CsvSink(ConnectorConfig config, SinkContext context, StandardStreams streams)
    {
        var o = config.Options;
        _header = o.Bool("header");
        var fields = o.Strings("fields");
        _explicitColumns = fields.Count > 0;
        _target = FileTarget.Open(FilePaths.Resolve(config, o.String("path")!), streams);
        _writer = CsvWriter.Create(_target.Stream, new CsvWriterOptions
        {
            Separator = o.String("delimiter")![0],
            NewLine = "\n",
            ValidateFieldCount = false,
            Injection = CsvInjection.None,
            BufferSize = 1 << 16,
        }, leaveOpen: true);
        // Known columns are written at once, so an empty result still has its header.
        if (_explicitColumns) Begin(Schema.Of(fields.ToArray()));
        else if (context.Fields is { Count: > 0 } known) Begin(Schema.Of(known.ToArray()));
    }

    private void Begin(Schema columns)
    {
        _columns = columns;
        if (!_header) return;
        foreach (var name in columns.Names) _writer.WriteField(name);
        _writer.EndRecord();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
    {
        if (_columns is null) Begin(batch.Schema);
        var map = MapFor(batch.Schema, out string? extra);
        for (int r = 0; r < batch.Count; r++)
        {
            if (extra is not null)
            {
                rejected.Reject(r, Rejection.Kinds.Sink, $"field \"{extra}\" is not one of the CSV columns ({string.Join(", ", _columns!.Names)}); set the sink's \"fields\" to choose columns");
                continue;
            }
            var row = batch.Row(r);
            foreach (int source in map)
            {
                if (source < 0) { _writer.WriteField(ReadOnlySpan<byte>.Empty); continue; }
                WriteValue(row[source]);
            }
            _writer.EndRecord();
        }
        return ValueTask.CompletedTask;
    }

    private void WriteValue(in Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null: _writer.WriteField(ReadOnlySpan<byte>.Empty); break;
            case ValueKind.String:
                if (v.AsString.Length == 0) _writer.WriteField("", CsvQuoting.Always);
                else _writer.WriteField(v.AsString.AsSpan());
                break;
            case ValueKind.List or ValueKind.Map: _writer.WriteField(ValueJson.ToJson(v).AsSpan()); break;
            // Numbers and timestamps are formatted straight into the writer's buffer; an int's text needs no look for
            // characters to quote (CsvHelper still looks when the delimiter could appear in a number).
            case ValueKind.Int: _writer.WriteField(v.AsInt); break;
            default: _writer.WriteField(new ScalarText(v)); break;
        }
    }

    /// <summary>A bool, decimal, float or timestamp as the UTF-8 text <see cref="ValueText"/> gives it.</summary>
    private readonly struct ScalarText(Value value) : IUtf8SpanFormattable
    {
        public bool TryFormat(Span<byte> destination, out int written, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            ValueText.TryFormatUtf8(value, destination, out written);
    }

    /// <summary>For each column, the field of this schema that fills it (-1: none). A field outside the
    /// columns (when they came from the first record) makes the record unwritable.</summary>
    private int[] MapFor(Schema schema, out string? extra)
    {
        extra = null;
        if (!_maps.TryGetValue(schema, out var map))
        {
            if (_maps.Count >= 1024) _maps.Clear();
            map = _columns!.Names.Select(schema.IndexOf).ToArray();
            _maps[schema] = map;
        }
        if (!_explicitColumns && !ReferenceEquals(schema, _columns))
            extra = schema.Names.FirstOrDefault(n => !_columns!.Contains(n));
        return map;
    }

    public ValueTask<bool> FlushAsync(CancellationToken cancellation)
    {
        if (!_target.IsStandardOutput) return ValueTask.FromResult(false);
        _writer.Flush();
        _target.Stream.Flush();
        return ValueTask.FromResult(true);
    }

    public ValueTask CommitAsync(CancellationToken cancellation)
    {
        _writer.Dispose();
        _target.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask AbortAsync()
    {
        _target.Abort();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _target.Dispose();
        return ValueTask.CompletedTask;
    }
}
