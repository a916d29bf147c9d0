using System.Buffers;
using System.Text.Json;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors;

/// <summary>Writes one JSON object per line. Standard output is flushed after every batch.</summary>
internal sealed class JsonlSink : ISink
{
    private readonly FileTarget _target;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _json;

    public JsonlSink(ConnectorConfig config, StandardStreams streams)
    {
        _target = FileTarget.Open(FilePaths.Resolve(config, config.Options.String("path")!), streams);
        _json = new Utf8JsonWriter(_buffer, ValueJson.WriterOptions);
    }

    public async ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
    {
        for (int r = 0; r < batch.Count; r++)
        {
            _json.Reset(_buffer);
            ValueJson.WriteRecord(_json, batch.Schema, batch.Row(r));
            _json.Flush();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            if (_buffer.WrittenCount >= 1 << 16) await DrainAsync(cancellation);
        }
        await DrainAsync(cancellation);
    }

    private async ValueTask DrainAsync(CancellationToken cancellation)
    {
        if (_buffer.WrittenCount == 0) return;
        await _target.Stream.WriteAsync(_buffer.WrittenMemory, cancellation);
        _buffer.ResetWrittenCount();
    }

    public async ValueTask<bool> FlushAsync(CancellationToken cancellation)
    {
        if (!_target.IsStandardOutput) return false;
        await _target.Stream.FlushAsync(cancellation);
        return true;
    }

    public ValueTask CommitAsync(CancellationToken cancellation)
    {
        _target.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask AbortAsync()
    {
        _target.Abort();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        _target.Dispose();
    }
}
