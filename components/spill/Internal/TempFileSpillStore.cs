using Ocht.Transforms;

namespace Ocht.Spill;

/// <summary>
/// Runs as files in a private directory, each run cut into segments of <paramref name="segmentBytes"/>. A run is
/// read once, front to back, and each segment is deleted as soon as it has been read: a merge gives its space
/// back as it goes instead of at the end, so temporary disk (and page cache) peaks lower, and the output written
/// during the merge reuses memory just freed rather than memory the system must first provide.
/// </summary>
internal sealed class TempFileSpillStore(string root, int segmentBytes) : ISpillStore
{
    private readonly int _segmentBytes = segmentBytes;
    private readonly Dictionary<int, int> _segments = new();
    private string? _directory;
    private FileStream? _lock;
    private int _next;

    /// <summary>The directory, created on first use so runs that never spill touch no disk; what killed
    /// processes left under the root goes first.</summary>
    public string Directory => _directory ??= Start();

    private string Start()
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(root, $"{AbandonedSpills.Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        _lock = AbandonedSpills.Lock(directory);
        AbandonedSpills.Sweep(root, AbandonedSpills.FileSystemNow(directory));
        return directory;
    }

    public (int Id, Stream Stream) Create()
    {
        int id = Interlocked.Increment(ref _next);
        return (id, new SegmentWriter(this, id));
    }

    public Stream Open(int id)
    {
        int count;
        lock (_segments) count = _segments.GetValueOrDefault(id);
        return new SegmentReader(this, id, count);
    }

    public void Delete(int id)
    {
        int count;
        lock (_segments)
        {
            count = _segments.GetValueOrDefault(id);
            _segments.Remove(id);
        }
        for (int segment = 0; segment < count; segment++) File.Delete(PathOf(id, segment));
    }

    private string PathOf(int id, int segment) => Path.Combine(Directory, $"run-{id:D6}-{segment:D5}.bin");

    public void Dispose()
    {
        if (_directory is null) return;
        _lock?.Dispose();
        _lock = null;
        try { System.IO.Directory.Delete(_directory, recursive: true); }
        catch (DirectoryNotFoundException) { }
        _directory = null;
    }

    /// <summary>Writes a run, starting a new segment file whenever the current one is full.</summary>
    private sealed class SegmentWriter(TempFileSpillStore store, int id) : WriteOnlyStream
    {
        private FileStream? _file;
        private int _segments;
        private long _room;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                if (_room == 0)
                {
                    _file?.Dispose();
                    _file = new FileStream(store.PathOf(id, _segments++), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                    _room = store._segmentBytes;
                }
                int n = (int)Math.Min(_room, buffer.Length);
                _file!.Write(buffer[..n]);
                _room -= n;
                buffer = buffer[n..];
            }
        }

        public override void Flush() => _file?.Flush();

        private bool _closed;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                _file?.Dispose();
                _file = null;
                lock (store._segments) store._segments[id] = _segments;
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Reads a run front to back, deleting each segment once it has been read to its end.</summary>
    private sealed class SegmentReader(TempFileSpillStore store, int id, int segments) : ReadOnlyStream
    {
        private FileStream? _file;
        private int _next;

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            while (true)
            {
                if (_file is null)
                {
                    if (_next == segments) return 0;
                    _file = new FileStream(store.PathOf(id, _next++), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                }
                int read = _file.Read(buffer);
                if (read > 0) return read;
                _file.Dispose();
                _file = null;
                File.Delete(store.PathOf(id, _next - 1));
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _file?.Dispose();
            _file = null;
            base.Dispose(disposing);
        }
    }
}
