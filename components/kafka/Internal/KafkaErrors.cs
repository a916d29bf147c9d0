using Confluent.Kafka;
using Ocht.Model;

namespace Ocht.Kafka;

/// <summary>Kafka errors as Ocht failures: transient ones (brokers out of reach, leaders moving) as
/// <see cref="ConnectorUnavailableException"/>, so a worker retries; the rest as I/O errors.</summary>
internal static class KafkaErrors
{
    private static readonly HashSet<ErrorCode> Transient =
    [
        ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown, ErrorCode.Local_MsgTimedOut,
        ErrorCode.Local_TimedOut, ErrorCode.Local_TimedOutQueue, ErrorCode.RequestTimedOut,
        ErrorCode.NetworkException, ErrorCode.BrokerNotAvailable, ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup, ErrorCode.GroupLoadInProgress,
    ];

    /// <summary>A commit refused because the group is rebalancing: the offsets stay acknowledged and go
    /// with the next commit, or to the partition's next owner as records to read again.</summary>
    private static readonly HashSet<ErrorCode> Rebalancing =
    [
        ErrorCode.RebalanceInProgress, ErrorCode.IllegalGeneration, ErrorCode.UnknownMemberId, ErrorCode.Local_State,
    ];

    public static bool IsTransient(Error e) => !e.IsFatal && Transient.Contains(e.Code);

    public static bool IsRebalancing(Error e) => !e.IsFatal && Rebalancing.Contains(e.Code);

    public static Exception Failure(Error e, string what) => IsTransient(e)
        ? new ConnectorUnavailableException($"{what}: {e.Reason}")
        : new IOException($"{what}: {e.Reason} ({e.Code})");

    /// <summary>librdkafka's own log line (as it would print it on stderr) into the run's log, at the matching level.</summary>
    public static void Forward(ConnectorLog log, string name, LogMessage m) =>
        log(m.Level switch
        {
            <= SyslogLevel.Error => ConnectorLogLevel.Error,
            SyslogLevel.Warning => ConnectorLogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => ConnectorLogLevel.Information,
            _ => ConnectorLogLevel.Debug,
        }, $"{name}: librdkafka {m.Facility}: {m.Message}");
}
