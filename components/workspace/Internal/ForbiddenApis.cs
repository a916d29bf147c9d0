namespace Ocht.Workspace;

/// <summary>
/// E6: APIs the pure core must not call, because they reach the file system, the network, the clock or
/// randomness; such effects come in through ports (connectors, ISpillStore, the run's TimeProvider).
/// A name matches when written bare or under its own namespace (<c>File.Exists</c>, <c>System.IO.File.Exists</c>),
/// never as a member of something else (<c>plan.Path</c>, <c>options.File</c>).
/// </summary>
internal static class ForbiddenApis
{
    /// <param name="Pattern">The segments that must follow the namespace; a trailing "*" asks for any member after them.</param>
    private sealed record Api(string Namespace, string[] Pattern, string Effect);

    private static readonly Api[] Apis =
    [
        new("System.IO", ["File", "*"], "the file system"),
        new("System.IO", ["Directory", "*"], "the file system"),
        new("System.IO", ["FileStream"], "the file system"),
        new("System.IO", ["FileInfo"], "the file system"),
        new("System.IO", ["DirectoryInfo"], "the file system"),
        new("System.IO", ["DriveInfo"], "the file system"),
        new("System.IO", ["FileSystemWatcher"], "the file system"),
        new("System.IO", ["Path", "GetTempPath"], "the file system"),
        new("System.IO", ["Path", "GetTempFileName"], "the file system"),
        new("System.IO", ["Path", "GetFullPath"], "the file system"),
        new("System.Net.Http", ["HttpClient"], "the network"),
        new("System.Net.Sockets", ["Socket"], "the network"),
        new("System.Net.Sockets", ["TcpClient"], "the network"),
        new("System.Net.Sockets", ["TcpListener"], "the network"),
        new("System.Net.Sockets", ["UdpClient"], "the network"),
        new("System.Net", ["Dns"], "the network"),
        new("System.Net", ["WebClient"], "the network"),
        new("System.Net", ["WebRequest"], "the network"),
        new("System", ["DateTime", "Now"], "the clock"),
        new("System", ["DateTime", "UtcNow"], "the clock"),
        new("System", ["DateTime", "Today"], "the clock"),
        new("System", ["DateTimeOffset", "Now"], "the clock"),
        new("System", ["DateTimeOffset", "UtcNow"], "the clock"),
        new("System", ["TimeProvider", "System"], "the clock"),
        new("System", ["Environment", "TickCount"], "the clock"),
        new("System", ["Environment", "TickCount64"], "the clock"),
        new("System.Diagnostics", ["Stopwatch"], "the clock"),
        new("System", ["Random"], "randomness"),
        new("System.Security.Cryptography", ["RandomNumberGenerator"], "randomness"),
        new("System", ["Guid", "NewGuid"], "randomness"),
    ];

    public static IEnumerable<Problem> Find(SourceFile file) =>
        from name in file.Names
        let api = Apis.FirstOrDefault(a => Matches(a, name.Segments))
        where api is not null
        select new Problem("E6", file.RelativePath, name.Line,
            $"{string.Join('.', name.Segments)} reaches {api.Effect}, which the pure core may do only through a port (connector, spill store, the run's clock)");

    private static bool Matches(Api api, IReadOnlyList<string> segments)
    {
        string[] ns = api.Namespace.Split('.');
        foreach (int skip in new[] { 0, ns.Length })
        {
            if (skip > 0 && !segments.Take(skip).SequenceEqual(ns)) continue;
            var rest = segments.Skip(skip).ToArray();
            bool anyMember = api.Pattern[^1] == "*";
            string[] fixedPart = anyMember ? api.Pattern[..^1] : api.Pattern;
            if (rest.Length >= fixedPart.Length + (anyMember ? 1 : 0) && rest.Take(fixedPart.Length).SequenceEqual(fixedPart)) return true;
        }
        return false;
    }
}
