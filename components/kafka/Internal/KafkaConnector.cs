using System.Globalization;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;

namespace Ocht.Kafka;

/// <summary>The kafka connector (§5): a consumer group as a source, an idempotent producer as a sink.</summary>
internal sealed class KafkaConnector : IConnector
{
    public ComponentSpec Spec { get; } = new("connector", "kafka", "Kafka topics of JSON messages. As a source: a consumer group whose offsets are committed only once every sink has durably taken the records (at-least-once); a message that is not a JSON object is rejected with its topic, partition and offset. As a sink: an idempotent producer (acks=all) writing one JSON object per message, keyed by an expression.",
    [
        new OptionSpec("brokers", OptionType.String, "bootstrap servers, host:port[,host:port...]; usually \"${env:KAFKA_BROKERS}\"") { Required = true },
        new OptionSpec("topic", OptionType.String, "the topic to read or write") { Required = true },
        new OptionSpec("group", OptionType.String, "the consumer group; its committed offsets say where a run starts. Required unless \"bounded\" is true") { Roles = Roles.Source },
        new OptionSpec("format", OptionType.String, "the message format: one JSON object per message") { Default = "\"json\"", Choices = ["json"] },
        new OptionSpec("start", OptionType.String, "where a group without committed offsets (or a read without a group) starts") { Default = "\"earliest\"", Choices = ["earliest", "latest"], Roles = Roles.Source },
        new OptionSpec("bounded", OptionType.Boolean, "Ocht extension: stop once caught up with the partitions' ends as they were at the start, so a document runs as a batch over a topic") { Default = "false", Roles = Roles.Source },
        new OptionSpec("key", OptionType.Expression, "the message key, evaluated per record (text as UTF-8, other values as their text; null: no key)") { Roles = Roles.Sink },
        new OptionSpec("properties", OptionType.Object, "more librdkafka settings as text, e.g. security.protocol, sasl.mechanism, sasl.username, sasl.password.") { Sensitive = true },
    ])
    {
        Example = """{ "connector": "kafka", "brokers": "${env:KAFKA_BROKERS}", "topic": "orders", "group": "orders-to-postgres" }""",
        Details = "Delivery is at-least-once: after a crash or a rebalance, records whose batch was not yet acknowledged by every sink are read again, so an idempotent sink (postgres upsert) makes the effect exactly-once. Offsets are committed per partition as the last acknowledged record's offset + 1. A streaming read waits for messages and hands on a batch when it is full or 100 ms after its first record; with \"bounded\": true it stops once it has read up to the partitions' high-water marks as they were when it started (without \"group\" it reads the whole topic from \"start\" and commits nothing). Messages are decoded like jsonl lines (§2 numbers, duplicate fields rejected); a message without a value (a tombstone) is rejected too. The sink writes records in the jsonl sink's encoding; records without a key are spread over partitions, so order holds per key. Run more worker instances in one consumer group to spread a topic's partitions over them. \"properties\" cannot set what Ocht owns (bootstrap.servers, group.id, auto.offset.reset, enable.auto.commit, enable.auto.offset.store, enable.partition.eof; enable.idempotence, acks).",
    };

    public void Validate(ConnectorConfig config, Diagnostics diagnostics)
    {
        var o = config.Options;
        if (o.Get("brokers") is { IsString: true } brokers && BrokersProblem(brokers.Text!) is { } problem)
            diagnostics.Add(brokers, problem);
        if (o.Get("topic") is { IsString: true } topic && TopicProblem(topic.Text!) is { } topicProblem)
            diagnostics.Add(topic, topicProblem);
        if (config.Role == Roles.Source)
        {
            if (o.Get("group") is { IsString: true } group && string.IsNullOrWhiteSpace(group.Text))
                diagnostics.Add(group, "\"group\" must not be empty");
            if (!o.Has("group") && !o.Bool("bounded"))
                diagnostics.Add(config.Node, "a kafka source needs \"group\" (where its offsets are committed) unless it is \"bounded\"");
        }
        if (config.Role == Roles.Sink && o.Get("key") is { } key)
        {
            var expr = Expressions.Expressions.Parse(key, diagnostics);
            if (expr is not null) Expressions.Expressions.Compile(expr, diagnostics);
        }
        ValidateProperties(config, diagnostics);
    }

    private static void ValidateProperties(ConnectorConfig config, Diagnostics diagnostics)
    {
        var owned = KafkaSettings.Owned(config.Role);
        bool native = Librdkafka.IsAvailable();
        foreach (var (key, node) in config.Options.Map("properties"))
        {
            if (node.Kind is not (DocKind.String or DocKind.Number or DocKind.Bool))
                diagnostics.Add(node, $"librdkafka setting \"{key}\" must be text, a number or a boolean, found {node.Describe()}");
            else if (owned.TryGetValue(key, out string? why))
                diagnostics.Add(node, $"\"{key}\" cannot be set in \"properties\": {why}");
            else if (key.StartsWith("dotnet.", StringComparison.Ordinal))
                diagnostics.Add(node, $"\"{key}\" is a Confluent.Kafka client setting that Ocht manages itself");
        }
        if (!native) return;
        // librdkafka's own check of names and values, without creating a client.
        foreach (var (key, value, node) in KafkaSettings.Properties(config.Options))
        {
            if (owned.ContainsKey(key) || key.StartsWith("dotnet.", StringComparison.Ordinal)) continue;
            if (Librdkafka.CheckSetting(key, value) is { } error)
                diagnostics.Add(node, config.Secrets.Redact(node.IsSecret ? error.Replace(value, "***", StringComparison.Ordinal) : error));
        }
    }

    /// <summary>Why a bootstrap list cannot work, or null: entries host[:port], optionally with a scheme.</summary>
    internal static string? BrokersProblem(string brokers)
    {
        var entries = brokers.Split(',');
        foreach (string raw in entries)
        {
            string entry = raw.Trim();
            int scheme = entry.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0) entry = entry[(scheme + 3)..];
            if (entry.Length == 0)
                return brokers.Trim().Length == 0 ? "\"brokers\" must name at least one host:port" : $"\"brokers\" has an empty entry in \"{brokers}\"";
            if (entry.Any(char.IsWhiteSpace)) return $"broker \"{raw.Trim()}\" contains a space";
            int colon = entry.LastIndexOf(':');
            if (colon < 0 || entry.EndsWith(']')) continue;
            string port = entry[(colon + 1)..];
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
                return $"broker \"{raw.Trim()}\" has port \"{port}\"; a port is a number from 1 to 65535";
            if (colon == 0) return $"broker \"{raw.Trim()}\" has no host";
        }
        return null;
    }

    /// <summary>Kafka's rules for topic names: 1 to 249 of a-z A-Z 0-9 . _ -, and not "." or "..".</summary>
    internal static string? TopicProblem(string topic)
    {
        if (topic.Length == 0) return "\"topic\" must not be empty";
        if (topic.Length > 249) return $"a topic name has at most 249 characters, this one has {topic.Length}";
        if (topic is "." or "..") return $"\"{topic}\" is not a valid topic name";
        foreach (char c in topic)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return $"topic \"{topic}\" contains '{c}'; topic names use only letters a-z and A-Z, digits, '.', '_' and '-'";
        return null;
    }

    public FieldScope Probe(ConnectorConfig config) => FieldScope.Unknown;

    public string Describe(ConnectorConfig config) => "kafka:" + config.Options.String("topic");

    public ISource OpenSource(ConnectorConfig config, SourceContext context) => new KafkaSource(config, context);

    public ISink OpenSink(ConnectorConfig config, SinkContext context) => new KafkaSink(config, context.Log);
}
