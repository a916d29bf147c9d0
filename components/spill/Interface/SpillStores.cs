using Ocht.Transforms;

namespace Ocht.Spill;

/// <summary>The spill brick: where sorts put runs that do not fit in memory.</summary>
public static class SpillStores
{
    /// <summary>Runs in a private directory under <paramref name="root"/> (default: the system temp
    /// directory), deleted with everything in it when the store is disposed — after the run, also on failure.
    /// Each run is kept as files of <paramref name="segmentBytes"/> (default 8 MiB), each deleted as soon as
    /// the merge has read it. A store that starts spilling first removes what killed processes left under
    /// the root: directories unchanged for an hour (by the file system's clock) whose owner is gone, as their
    /// lock file shows (or, without one, their process id).</summary>
    public static Func<ISpillStore> TempFiles(string? root = null, int segmentBytes = 8 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentBytes);
        return () => new TempFileSpillStore(root ?? Path.GetTempPath(), segmentBytes);
    }
}
