using System.Buffers;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Kafka;

/// <summary>
/// Produces one JSON object per record (the jsonl sink's encoding, <see cref="ValueJson"/>) through an
/// idempotent producer. Messages are visible once delivered, so the sink is durable at every flush:
/// a flush returns only when every message so far is confirmed, and a failed delivery fails the run.
/// </summary>
internal sealed class KafkaSink : ISink
{
    private static readonly TimeSpan FlushStep = TimeSpan.FromMilliseconds(100);

    private readonly string _topic, _name;
    private readonly CompiledExpr? _key;
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly Action<DeliveryReport<byte[]?, byte[]>> _delivered;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 12);
    private readonly Utf8JsonWriter _json;
    private Error? _failure;
    private volatile Error? _unreachable;

    public KafkaSink(ConnectorConfig config, ConnectorLog log)
    {
        Librdkafka.EnsureLoaded();
        _topic = config.Options.String("topic")!;
        _name = config.Describe();
        if (config.Options.Get("key") is { } key)
        {
            var diagnostics = new Diagnostics();
            var expr = Expressions.Expressions.Parse(key, diagnostics);
            _key = (expr is null ? null : Expressions.Expressions.Compile(expr, diagnostics))
                ?? throw new InvalidOperationException("the key expression passed validation but does not compile: " + string.Join("; ", diagnostics.Items));
        }
        _json = new Utf8JsonWriter(_buffer, ValueJson.WriterOptions);
        _delivered = OnDelivered;
        _producer = new ProducerBuilder<byte[]?, byte[]>(KafkaSettings.Producer(config))
            .SetErrorHandler((_, e) => OnError(e))
            .SetLogHandler((_, m) => KafkaErrors.Forward(log, _name, m))
            .Build();
    }

    public ValueTask WriteAsync(Batch batch, SinkRejections rejected, CancellationToken cancellation)
    {
        ThrowIfFailed();
        for (int r = 0; r < batch.Count; r++)
        {
            byte[]? key = null;
            if (_key is not null)
            {
                try
                {
                    key = KeyBytes(_key.Eval(Row.Of(batch, r)));
                }
                catch (EvalException e)
                {
                    rejected.Reject(r, e.Kind, "the message key: " + e.Message);
                    continue;
                }
            }
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            ValueJson.WriteRecord(_json, batch.Schema, batch.Row(r));
            _json.Flush();
            Produce(new Message<byte[]?, byte[]> { Key = key, Value = _buffer.WrittenSpan.ToArray() }, cancellation);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Text keys as UTF-8; other values as their text (42, true, a timestamp in ISO-8601); null: no key.</summary>
    private static byte[]? KeyBytes(in Value key)
    {
        if (key.IsNull) return null;
        if (key.Kind == ValueKind.String) return Encoding.UTF8.GetBytes(key.AsString);
        Span<byte> text = stackalloc byte[ValueText.MaxScalarUtf8Length];
        return ValueText.TryFormatUtf8(key, text, out int n) ? text[..n].ToArray() : Encoding.UTF8.GetBytes(ValueText.Format(key));
    }

    private void Produce(Message<byte[]?, byte[]> message, CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                _producer.Produce(_topic, message, _delivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue is full: wait for deliveries to make room.
                cancellation.ThrowIfCancellationRequested();
                ThrowIfUnreachable();
                _producer.Poll(FlushStep);
            }
            catch (ProduceException<byte[]?, byte[]> e)
            {
                throw KafkaErrors.Failure(e.Error, $"{_name}: a message could not be sent");
            }
        }
    }

    private void OnDelivered(DeliveryReport<byte[]?, byte[]> report)
    {
        if (report.Error.IsError) Interlocked.CompareExchange(ref _failure, report.Error, null);
    }

    private void OnError(Error error)
    {
        if (error.IsFatal) Interlocked.CompareExchange(ref _failure, error, null);
        else if (error.Code == ErrorCode.Local_AllBrokersDown) _unreachable = error;
    }

    public ValueTask<bool> FlushAsync(CancellationToken cancellation)
    {
        while (_producer.Flush(FlushStep) > 0)
        {
            ThrowIfFailed();
            ThrowIfUnreachable();
            cancellation.ThrowIfCancellationRequested();
        }
        ThrowIfFailed();
        _unreachable = null;
        return ValueTask.FromResult(true);
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
            throw KafkaErrors.Failure(failure, $"{_name}: a message was not delivered");
    }

    private void ThrowIfUnreachable()
    {
        if (_unreachable is { } down)
            throw new ConnectorUnavailableException($"{_name}: no broker is reachable, messages are waiting: {down.Reason}");
    }

    public async ValueTask CommitAsync(CancellationToken cancellation) => await FlushAsync(cancellation);

    /// <summary>Delivered messages stay (Kafka has no undo without transactions); the run's failure
    /// means its records are produced again by the next run: consumers see them at least once.</summary>
    public ValueTask AbortAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        _producer.Dispose();
    }
}
