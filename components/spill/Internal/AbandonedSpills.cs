using System.Diagnostics;
using System.Globalization;

namespace Ocht.Spill;

/// <summary>
/// Spill directories that killed processes left behind (a store removes its own directory on every
/// ending it sees, but not on SIGKILL or power loss). A directory is abandoned when the process its
/// name gives is gone and nothing in it has changed for <see cref="QuietFor"/>: a live process in
/// another PID namespace that shares the directory writes or deletes files while it spills and merges.
/// </summary>
internal static class AbandonedSpills
{
    public const string Prefix = "ocht-spill-";
    public static readonly TimeSpan QuietFor = TimeSpan.FromHours(1);

    /// <summary>Removes the abandoned spill directories under <paramref name="root"/>; how many it removed.</summary>
    public static int Sweep(string root, DateTimeOffset now)
    {
        int removed = 0;
        foreach (var directory in SafeEnumerate(root))
        {
            if (!TryGetProcessId(Path.GetFileName(directory), out int pid) || IsRunning(pid)) continue;
            if (now - LastChange(directory) < QuietFor) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another sweeper, or not ours to remove
        }
        return removed;
    }

    /// <summary>The process id in "ocht-spill-{pid}-{guid}".</summary>
    public static bool TryGetProcessId(string name, out int pid)
    {
        pid = 0;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(Prefix.Length);
        int dash = rest.IndexOf('-');
        return dash > 0 && rest.Length - dash - 1 == 32 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out pid);
    }

    private static IEnumerable<string> SafeEnumerate(string root)
    {
        try { return Directory.GetDirectories(root, Prefix + "*"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static DateTimeOffset LastChange(string directory)
    {
        try
        {
            var last = Directory.GetLastWriteTimeUtc(directory);
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var written = File.GetLastWriteTimeUtc(file);
                if (written > last) last = written;
            }
            return new DateTimeOffset(last, TimeSpan.Zero);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return DateTimeOffset.MaxValue; }
    }
}
