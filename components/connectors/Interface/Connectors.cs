using Ocht.Model;

namespace Ocht.Connectors;

/// <summary>Standard input and output, for the path "-". Hosts pass the console; tests pass buffers.</summary>
public sealed record StandardStreams(Func<Stream> Input, Func<Stream> Output)
{
    public static readonly StandardStreams Console = new(System.Console.OpenStandardInput, System.Console.OpenStandardOutput);
}

/// <summary>The connectors brick: the file connectors of §5.</summary>
public static class Connectors
{
    /// <summary>Every connector of this brick, in documentation order.</summary>
    public static IReadOnlyList<IConnector> All(StandardStreams? streams = null)
    {
        var std = streams ?? StandardStreams.Console;
        return [new CsvConnector(std), new JsonlConnector(std)];
    }

    /// <summary>True when the connector reads or writes standard input/output (a file connector with path "-").</summary>
    public static bool UsesStandardStream(ConnectorConfig config) =>
        config.Connector is CsvConnector or JsonlConnector && config.Options.String("path") == FilePaths.Standard;
}
