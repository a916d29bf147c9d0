using Ocht.Spill;

namespace Ocht.Spill.Tests;

public sealed class SpillTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ocht-spill-test-").FullName;

    [Fact]
    public void Runs_are_written_read_and_removed_with_the_store()
    {
        var store = SpillStores.TempFiles(_root)();
        var (id, stream) = store.Create();
        using (stream) stream.Write([1, 2, 3]);
        using (var read = store.Open(id))
        {
            var buffer = new byte[3];
            read.ReadExactly(buffer);
            Assert.Equal([1, 2, 3], buffer);
        }
        Assert.Single(Directory.GetDirectories(_root));
        store.Dispose();
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void A_store_that_never_spills_touches_no_disk()
    {
        SpillStores.TempFiles(_root)().Dispose();
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Deleted_runs_are_gone_at_once()
    {
        using var store = SpillStores.TempFiles(_root)();
        var (id, stream) = store.Create();
        using (stream) stream.Write([1, 2, 3]);
        store.Delete(id);
        Assert.Empty(Directory.GetFiles(Directory.GetDirectories(_root).Single(), "run-*"));
    }

    [Fact]
    public void A_run_longer_than_a_segment_reads_back_whole_and_gives_back_each_segment_once_read()
    {
        using var store = SpillStores.TempFiles(_root, segmentBytes: 4096)();
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        var (id, stream) = store.Create();
        using (stream)
        {
            stream.Write(data.AsSpan(0, 100));
            stream.Write(data.AsSpan(100));
        }
        var (empty, nothing) = store.Create();
        nothing.Dispose();
        var files = () => Directory.GetFiles(Directory.GetDirectories(_root).Single(), "run-*");
        Assert.Equal(3, files().Length);
        var read = new byte[data.Length];
        using (var run = store.Open(id))
        {
            run.ReadExactly(read.AsSpan(0, 5000));
            Assert.Equal(2, files().Length);
            run.ReadExactly(read.AsSpan(5000));
            Assert.Equal(0, run.Read(new byte[1]));
            Assert.Empty(files());
        }
        Assert.Equal(data, read);
        using (var none = store.Open(empty)) Assert.Equal(0, none.Read(new byte[1]));
        store.Delete(id);
        store.Delete(empty);
    }

    [Fact]
    public void Deleting_a_run_part_read_removes_what_is_left_of_it()
    {
        using var store = SpillStores.TempFiles(_root, segmentBytes: 1000)();
        var (id, stream) = store.Create();
        using (stream) stream.Write(new byte[3500]);
        using (var run = store.Open(id)) run.ReadExactly(new byte[1500]);
        store.Delete(id);
        Assert.Empty(Directory.GetFiles(Directory.GetDirectories(_root).Single(), "run-*"));
    }

    private static int[] ProcessesThatAreGone(int count) => Enumerable.Range(4_000_000, 10_000).Where(pid =>
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Dispose(); return false; }
        catch (ArgumentException) { return true; }
    }).Take(count).ToArray();

    /// <summary>A spill directory as a process would leave it, with one segment (and its lock file, when asked), last
    /// changed <paramref name="ago"/> (the segment <paramref name="segmentAgo"/>, when given: appending to a file leaves
    /// the directory's time alone).</summary>
    private string LeftBehind(string name, TimeSpan ago, TimeSpan? segmentAgo = null, bool withLockFile = false)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllBytes(Path.Combine(directory, "run-000001-00000.bin"), [1, 2, 3]);
        if (withLockFile) File.WriteAllBytes(Path.Combine(directory, ".lock"), []);
        Age(directory, ago, segmentAgo);
        return directory;
    }

    private static void Age(string directory, TimeSpan ago, TimeSpan? segmentAgo = null)
    {
        foreach (var file in Directory.GetFiles(directory)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow - (segmentAgo ?? ago));
        Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow - ago);
    }

    [Fact]
    public void A_store_that_starts_spilling_removes_what_killed_processes_left_and_nothing_else()
    {
        string guid = Guid.NewGuid().ToString("N");
        var gone = ProcessesThatAreGone(5);
        var abandoned = LeftBehind($"ocht-spill-{gone[0]}-{guid}", TimeSpan.FromHours(2));
        var recent = LeftBehind($"ocht-spill-{gone[1]}-{guid}", TimeSpan.FromMinutes(10));
        var writing = LeftBehind($"ocht-spill-{gone[2]}-{guid}", TimeSpan.FromHours(2), segmentAgo: TimeSpan.FromMinutes(10));
        // A live store in another PID namespace: its process looks gone and it has been quiet, but it holds its lock.
        var locked = LeftBehind($"ocht-spill-{gone[3]}-{guid}", TimeSpan.FromHours(2));
        using var held = new FileStream(Path.Combine(locked, ".lock"), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        Age(locked, TimeSpan.FromHours(2));
        var linked = Path.Combine(_root, $"ocht-spill-{gone[4]}-{guid}");
        Directory.CreateSymbolicLink(linked, LeftBehind("elsewhere", TimeSpan.FromHours(2)));
        var ours = LeftBehind($"ocht-spill-{Environment.ProcessId}-{guid}", TimeSpan.FromHours(2));
        // Without a lock file, a running process of that id keeps the directory; with one no one holds, its owner is
        // gone whatever process has the id now.
        var alive = LeftBehind($"ocht-spill-1-{guid}", TimeSpan.FromHours(2));
        var reused = LeftBehind($"ocht-spill-1-{Guid.NewGuid():N}", TimeSpan.FromHours(2), withLockFile: true);
        var other = LeftBehind("ocht-spill-notes", TimeSpan.FromHours(2));

        using (var store = SpillStores.TempFiles(_root)())
        {
            Assert.True(Directory.Exists(abandoned), "nothing is swept before the store spills");
            using var run = store.Create().Stream;
            run.WriteByte(1);
        }
        Assert.False(Directory.Exists(abandoned));
        Assert.False(Directory.Exists(reused));
        Assert.All([recent, writing, locked, linked, Path.Combine(_root, "elsewhere"), ours, alive, other], d => Assert.True(Directory.Exists(d), d));

        // Once the recent one has been quiet for three hours, it goes too.
        Age(recent, TimeSpan.FromHours(3));
        using (var later = SpillStores.TempFiles(_root)())
        {
            using var run = later.Create().Stream;
            run.WriteByte(1);
        }
        Assert.False(Directory.Exists(recent));
        Assert.All([locked, linked, ours, alive, other], d => Assert.True(Directory.Exists(d), d));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
