using Ocht.Model;

namespace Ocht.Connectors;

/// <summary>Paths in file connectors: relative to the pipeline file; "-" is standard input/output.</summary>
internal static class FilePaths
{
    public const string Standard = "-";

    public static string Resolve(ConnectorConfig config, string path) =>
        path == Standard ? path : Path.GetFullPath(Path.Combine(config.BaseDirectory, path));

    public static string Describe(ConnectorConfig config) =>
        config.Options.String("path") is { } p ? (p == Standard ? (config.Role == Document.Roles.Source ? "stdin" : "stdout") : p) : "?";

    /// <summary>Opens a source file with an error that says what and where.</summary>
    public static FileStream OpenRead(string path)
    {
        if (Directory.Exists(path)) throw new IOException($"input path {path} is a directory, not a file");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException) { throw new IOException($"input file not found: {path}"); }
        catch (DirectoryNotFoundException) { throw new IOException($"input file not found: {path}"); }
        catch (UnauthorizedAccessException) { throw new IOException($"no permission to read {path}"); }
    }
}

/// <summary>
/// Output that appears all at once or not at all: written to a temporary file beside the target and
/// renamed into place on <see cref="Commit"/>; <see cref="Abort"/> (or disposal without commit)
/// removes the temporary file. Standard output is written through directly.
/// </summary>
internal sealed class FileTarget : IDisposable
{
    private readonly string? _final;
    private readonly string? _temp;
    private bool _done;

    private FileTarget(Stream stream, string? final, string? temp)
    {
        Stream = stream;
        _final = final;
        _temp = temp;
    }

    public Stream Stream { get; }
    public bool IsStandardOutput => _final is null;

    public static FileTarget Open(string path, StandardStreams streams)
    {
        if (path == FilePaths.Standard)
            return new FileTarget(streams.Output(), null, null);
        string? dir = Path.GetDirectoryName(path);
        if (Directory.Exists(path)) throw new IOException($"cannot write {path}: it is a directory");
        for (string? up = dir; !string.IsNullOrEmpty(up); up = Path.GetDirectoryName(up))
            if (File.Exists(up)) throw new IOException($"cannot write {path}: {up} is a file, not a directory");
        try
        {
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            string temp = Path.Combine(dir ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            return new FileTarget(stream, path, temp);
        }
        catch (UnauthorizedAccessException) { throw new IOException($"no permission to write {path}"); }
    }

    public void Commit()
    {
        if (_done) return;
        _done = true;
        if (_final is null)
        {
            Stream.Flush();
            return;
        }
        Stream.Flush();
        Stream.Dispose();
        File.Move(_temp!, _final, overwrite: true);
    }

    public void Abort()
    {
        if (_done) return;
        _done = true;
        if (_final is null) return;
        Stream.Dispose();
        File.Delete(_temp!);
    }

    public void Dispose()
    {
        Abort();
        if (_final is not null) Stream.Dispose();
    }
}
