namespace Ocht.Model;

/// <summary>
/// A connector's system is out of reach for now (a database restarting, a broker without a leader):
/// trying again later may succeed. Connectors throw it for transient errors only, so hosts that run
/// unbounded pipelines (the worker) retry the run with backoff, while a bad configuration or a bad
/// record still fails at once. The run reports it as error kind "unavailable".
/// </summary>
public sealed class ConnectorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
