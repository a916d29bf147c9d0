using System.Diagnostics;
using System.Globalization;

namespace Ocht.Spill;

/// <summary>
/// Spill directories that killed processes left behind (a store removes its own directory on every
/// ending it sees, but not on SIGKILL or power loss). A live store holds an exclusive lock on the lock
/// file in its directory (an advisory lock on Unix, which the kernel drops when the process dies, and
/// which holds across containers sharing the directory). A directory is abandoned when nothing in it has
/// changed for <see cref="QuietFor"/> and its owner is gone: its lock file is there and no one holds it,
/// or, with no lock file (a store that died between making its directory and locking it), the process
/// its name gives is gone. A process id alone would keep a directory for good once the id is reused.
/// Ages are measured against the file system's own clock (the sweeping store's fresh lock file), so a
/// network file system whose clock differs from this machine's is judged right. Symbolic links are
/// never followed. Cleaning up is best effort: nothing here fails a spill.
/// </summary>
internal static class AbandonedSpills
{
    public const string Prefix = "ocht-spill-";
    public static readonly TimeSpan QuietFor = TimeSpan.FromHours(1);

    public const string LockFile = ".lock";

    /// <summary>Removes the abandoned spill directories under <paramref name="root"/>; how many it removed.
    /// <paramref name="now"/> is the file system's time (see the class remarks).</summary>
    public static int Sweep(string root, DateTime now)
    {
        int removed = 0;
        foreach (var directory in SafeEnumerate(root))
        {
            try
            {
                if (!TryGetProcessId(Path.GetFileName(directory), out int pid) || new DirectoryInfo(directory).LinkTarget is not null) continue;
                if (now - LastChange(directory) < QuietFor) continue;
                var owner = OwnerState(directory);
                if (owner is Owner.Alive || (owner is Owner.Unknown && IsRunning(pid))) continue;
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (Exception) { } // another sweeper got there first, or it is not ours to remove: leave it
        }
        return removed;
    }

    /// <summary>The file system's time now: when the lock file of a directory just locked was written.</summary>
    public static DateTime FileSystemNow(string lockedDirectory) => File.GetLastWriteTimeUtc(Path.Combine(lockedDirectory, LockFile));

    /// <summary>Takes the lock of a new spill directory: held until the store is done with it.</summary>
    public static FileStream Lock(string directory) =>
        new(Path.Combine(directory, LockFile), FileMode.CreateNew, FileAccess.Write, FileShare.None);

    private enum Owner { Alive, Gone, Unknown }

    /// <summary>What the lock file says of the directory's owner: alive while it holds the lock, gone once no one does;
    /// unknown without a lock file.</summary>
    private static Owner OwnerState(string directory)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(directory, LockFile), FileMode.Open, FileAccess.Write, FileShare.None);
            return Owner.Gone;
        }
        catch (FileNotFoundException) { return Owner.Unknown; }
        catch (IOException) { return Owner.Alive; }
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
        catch (Exception) { return []; }
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
        catch (Exception) { return true; } // cannot tell (a protected process): take it as running
    }

    private static DateTime LastChange(string directory)
    {
        try
        {
            var last = Directory.GetLastWriteTimeUtc(directory);
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var written = File.GetLastWriteTimeUtc(file);
                if (written > last) last = written;
            }
            return last;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return DateTime.MaxValue; }
    }
}
