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
        Assert.Empty(Directory.GetFiles(Directory.GetDirectories(_root).Single()));
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
        var files = () => Directory.GetFiles(Directory.GetDirectories(_root).Single());
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
        Assert.Empty(Directory.GetFiles(Directory.GetDirectories(_root).Single()));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
