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
        stream.Dispose();
        store.Delete(id);
        Assert.Empty(Directory.GetFiles(Directory.GetDirectories(_root).Single()));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
