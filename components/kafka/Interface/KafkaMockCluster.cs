using System.Runtime.InteropServices;

namespace Ocht.Kafka;

/// <summary>
/// librdkafka's mock cluster: a real Kafka-protocol broker (produce, fetch, consumer groups, offset
/// commits, several partitions) running inside this process, for tests, the local demo and the
/// benchmark. For development only: it keeps everything in memory, is gone when disposed, and does
/// not isolate transactions; point production pipelines at a real Kafka cluster.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _client, _cluster;

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers (ids 1..n) on free local ports.</summary>
    public unsafe KafkaMockCluster(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        Librdkafka.EnsureLoaded();
        IntPtr conf = Librdkafka.rd_kafka_conf_new();
        byte* error = stackalloc byte[512];
        // Errors only: the bare client has no bootstrap servers of its own and would say so.
        Librdkafka.rd_kafka_conf_set(conf, "log_level", "3", error, 512);
        _client = Librdkafka.rd_kafka_new(0 /* producer */, conf, error, 512);
        if (_client == IntPtr.Zero)
        {
            Librdkafka.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException("cannot start the Kafka mock cluster: " + Librdkafka.Text(error));
        }
        _cluster = Librdkafka.rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            Librdkafka.rd_kafka_destroy(_client);
            throw new InvalidOperationException("cannot start the Kafka mock cluster (librdkafka refused to create it)");
        }
        BootstrapServers = Marshal.PtrToStringUTF8(Librdkafka.rd_kafka_mock_cluster_bootstraps(_cluster))!;
    }

    /// <summary>The brokers' addresses, for a connector's "brokers" (e.g. "127.0.0.1:39211").</summary>
    public string BootstrapServers { get; }

    /// <summary>Creates a topic. Without this, producing to or subscribing to a new topic creates it with
    /// the mock's default of 4 partitions.</summary>
    public void CreateTopic(string topic, int partitions = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        lock (_gate)
        {
            Check(Librdkafka.rd_kafka_mock_topic_create(Cluster, topic, partitions, 1), $"create topic \"{topic}\"");
        }
    }

    /// <summary>Takes a broker off the network (its connections fail) until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId)
    {
        lock (_gate) Check(Librdkafka.rd_kafka_mock_broker_set_down(Cluster, brokerId), $"take broker {brokerId} down");
    }

    public void SetBrokerUp(int brokerId)
    {
        lock (_gate) Check(Librdkafka.rd_kafka_mock_broker_set_up(Cluster, brokerId), $"bring broker {brokerId} up");
    }

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(KafkaMockCluster));

    private static void Check(int error, string what)
    {
        if (error != 0) throw new InvalidOperationException($"Kafka mock cluster: cannot {what}: {Librdkafka.ErrorText(error)}");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == IntPtr.Zero) return;
            Librdkafka.rd_kafka_mock_cluster_destroy(_cluster);
            Librdkafka.rd_kafka_destroy(_client);
            _cluster = _client = IntPtr.Zero;
        }
    }
}
