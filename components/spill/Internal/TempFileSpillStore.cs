using Ocht.Transforms;

namespace Ocht.Spill;

internal sealed class TempFileSpillStore(string root) : ISpillStore
{
    private string? _directory;
    private int _next;

    /// <summary>The directory, created on first use so runs that never spill touch no disk.</summary>
    public string Directory => _directory ??= System.IO.Directory.CreateDirectory(
        Path.Combine(root, $"ocht-spill-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;

    public (int Id, Stream Stream) Create()
    {
        int id = Interlocked.Increment(ref _next);
        var stream = new FileStream(PathOf(id), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        return (id, stream);
    }

    public Stream Open(int id) => new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public void Delete(int id) => File.Delete(PathOf(id));

    private string PathOf(int id) => Path.Combine(Directory, $"run-{id:D6}.bin");

    public void Dispose()
    {
        if (_directory is null) return;
        try { System.IO.Directory.Delete(_directory, recursive: true); }
        catch (DirectoryNotFoundException) { }
        _directory = null;
    }
}
