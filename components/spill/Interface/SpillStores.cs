using Ocht.Transforms;

namespace Ocht.Spill;

/// <summary>The spill brick: where sorts put runs that do not fit in memory.</summary>
public static class SpillStores
{
    /// <summary>Runs in a private directory under <paramref name="root"/> (default: the system temp
    /// directory), deleted with everything in it when the store is disposed — after the run, also on failure.
    /// Each run is kept as files of <paramref name="segmentBytes"/> (default 8 MiB), each deleted as soon as
    /// the merge has read it. A store that starts spilling first removes what killed processes left under
    /// the root: directories whose lock no one holds, of processes that are gone, unchanged for an hour by
    /// <paramref name="clock"/>.</summary>
    public static Func<ISpillStore> TempFiles(string? root = null, int segmentBytes = 8 << 20, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentBytes);
        return () => new TempFileSpillStore(root ?? Path.GetTempPath(), segmentBytes, clock ?? TimeProvider.System);
    }
}
