using System.Runtime.CompilerServices;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Adds a whole batch to the groups one aggregate at a time (column-wise): first each record's group,
/// then per aggregate one loop over the batch with no virtual call or two-phase step per record. The
/// kernels work on pending copies of the touched groups' states and apply them only when every record
/// went in; otherwise nothing has changed (groups the batch created are taken back) and the batch goes
/// record by record, which rejects exactly the records the rules reject. Within a group, records are
/// added in batch order, as record by record.
/// </summary>
internal sealed class BatchMerge
{
    private readonly AggregateKernel[] _kernels;
    private readonly GroupCodes? _codes;
    private readonly List<Group> _touched = new();
    private int[] _groupOf = [];
    private long _batches, _declined;
    private int _removalsSeen;

    private BatchMerge(AggregateKernel[] kernels, int keyFields)
    {
        _kernels = kernels;
        _codes = GroupCodes.For(keyFields);
    }

    public static BatchMerge For(Grouping grouping)
    {
        var kernels = new AggregateKernel[grouping.Fields.Length];
        for (int a = 0; a < kernels.Length; a++) kernels[a] = grouping.Fields[a].Kernel();
        return new BatchMerge(kernels, grouping.By.Length);
    }

    /// <summary>Adds every record of <paramref name="batch"/> (whose inputs <paramref name="reader"/> has read);
    /// false, changing nothing, when the batch must go record by record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryMerge(Batch batch, GroupTable groups, GroupReader reader)
    {
        // Past eight declined batches, once more than a quarter decline (a group's sum that left the exact form
        // for a float, text numbers, rejected records), batches go record by record for the rest of the run:
        // the attempts would cost more than they save.
        if (_declined > 8 && _declined * 4 > _batches) return false;
        _batches++;
        int groupsBefore = groups.Count;
        var touched = GroupsOf(batch, groups, reader);
        bool merged = true;
        for (int a = 0; a < _kernels.Length && merged; a++) merged = _kernels[a].Begin(touched, a);
        for (int a = 0; a < _kernels.Length && merged; a++) merged = _kernels[a].Add(reader.Input(a), _groupOf.AsSpan(0, batch.Count));
        if (merged)
            for (int a = 0; a < _kernels.Length; a++) _kernels[a].Commit(touched, a);
        else
        {
            groups.TakeBackFrom(groupsBefore);
            _declined++;
        }
        _touched.Clear();
        return merged;
    }

    /// <summary>Finds (or creates) each record's group, numbering the groups in order of first touch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<Group> GroupsOf(Batch batch, GroupTable groups, GroupReader reader)
    {
        if (_groupOf.Length < batch.Count) _groupOf = new int[batch.Capacity];
        if (groups.Removals != _removalsSeen)
        {
            _codes?.ForgetGroups();
            _removalsSeen = groups.Removals;
        }
        long stamp = _batches;
        var slots = reader.KeySlots(batch.Schema);
        var scratch = reader.KeyScratch;
        for (int r = 0; r < batch.Count; r++)
        {
            var cells = batch.Row(r);
            var group = _codes is not null ? _codes.Find(cells, slots, groups, scratch) : groups.Find(cells, slots, scratch, out _);
            if (group.TouchedIn != stamp)
            {
                group.TouchedIn = stamp;
                group.NumberInBatch = _touched.Count;
                _touched.Add(group);
            }
            _groupOf[r] = group.NumberInBatch;
        }
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_touched);
    }
}
