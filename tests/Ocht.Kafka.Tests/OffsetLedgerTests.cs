using FsCheck;
using FsCheck.Fluent;

namespace Ocht.Kafka.Tests;

public sealed class OffsetLedgerTests
{
    /// <summary>Batches of (partition, next offset) pairs over partitions 0-2, offsets increasing per partition.</summary>
    private static List<PartitionOffset[]> Batches(int[][] sizes)
    {
        var next = new long[3];
        var batches = new List<PartitionOffset[]>();
        foreach (var batch in sizes)
        {
            var offsets = new List<PartitionOffset>();
            for (int p = 0; p < 3; p++)
            {
                if (batch[p] == 0) continue;
                next[p] += batch[p];
                offsets.Add(new PartitionOffset(p, next[p]));
            }
            batches.Add(offsets.ToArray());
        }
        return batches;
    }

    private static readonly Gen<int[][]> BatchSizes = Gen.Choose(0, 3).ArrayOf(3).ListOf().Select(l => l.ToArray());

    [Fact]
    public void Only_acknowledged_batches_are_committable_and_each_partition_gets_its_highest_acknowledged_offset()
    {
        Prop.ForAll(BatchSizes.ToArbitrary(), Gen.Choose(0, 30).ToArbitrary(), (sizes, acked) =>
        {
            var ledger = new OffsetLedger();
            ledger.Assign([0, 1, 2]);
            var batches = Batches(sizes);
            for (int i = 0; i < batches.Count; i++) ledger.Register(i + 1, batches[i]);
            ledger.Acknowledge(acked);
            var expected = batches.Take(acked).SelectMany(b => b).GroupBy(o => o.Partition).Select(g => new PartitionOffset(g.Key, g.Max(o => o.Next)));
            Assert.Equal(expected.OrderBy(o => o.Partition), ledger.TakeReady().OrderBy(o => o.Partition));
            Assert.Empty(ledger.TakeReady());
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_revoked_partition_never_commits_offsets_registered_before_the_revoke()
    {
        Prop.ForAll(BatchSizes.ToArbitrary(), sizes =>
        {
            var ledger = new OffsetLedger();
            ledger.Assign([0, 1, 2]);
            var batches = Batches(sizes);
            for (int i = 0; i < batches.Count; i++) ledger.Register(i + 1, batches[i]);
            Assert.Empty(ledger.Revoke([1]));
            ledger.Assign([1]);
            ledger.Acknowledge(batches.Count);
            Assert.DoesNotContain(ledger.TakeReady(), o => o.Partition == 1);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Acknowledged_offsets_of_a_revoked_partition_are_handed_over_for_a_last_commit_and_a_failed_commit_keeps_them()
    {
        var ledger = new OffsetLedger();
        ledger.Assign([0, 1]);
        ledger.Register(1, [new PartitionOffset(0, 5), new PartitionOffset(1, 3)]);
        ledger.Acknowledge(1);
        var ready = ledger.TakeReady();
        ledger.Restore(ready);
        Assert.Equal([new PartitionOffset(1, 3)], ledger.Revoke([1]));
        Assert.Equal([new PartitionOffset(0, 5)], ledger.TakeReady());
    }

    [Fact]
    public void A_chunk_decoded_into_several_batches_commits_only_when_its_last_batch_is_acknowledged()
    {
        var ledger = new OffsetLedger();
        ledger.Assign([0]);
        ledger.Register(1 << 20, [new PartitionOffset(0, 10)]);
        ledger.Register(2 << 20, [new PartitionOffset(0, 20)]);
        ledger.Extend(1 << 20, (1 << 20) + 2);
        ledger.Acknowledge((1 << 20) + 1);
        Assert.Empty(ledger.TakeReady());
        ledger.Acknowledge((1 << 20) + 2);
        Assert.Equal([new PartitionOffset(0, 10)], ledger.TakeReady());
        ledger.Acknowledge(2 << 20);
        Assert.Equal([new PartitionOffset(0, 20)], ledger.TakeReady());
    }
}
