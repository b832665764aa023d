using Azure.Data.Tables;
using CarTLabPipeline.Adapters.Storage;

namespace CarTLabPipeline.Adapters.Tests.Storage;

public class TableBatchesTests
{
    private static TableEntity Entity(string pk, int i, int payloadChars = 10) => new(pk, $"r{i:D5}") { ["P"] = new string('x', payloadChars) };

    [Fact]
    public void Split_250Entities_GivesBatchesOfAtMost100()
    {
        var batches = TableBatches.Split("p", Enumerable.Range(0, 250).Select(i => Entity("p", i))).ToList();

        Assert.Equal([100, 100, 50], batches.Select(b => b.Count));
    }

    [Fact]
    public void Split_LargeEntities_IsBoundedByBytesNotOnlyCount()
    {
        // 60 entities of ~100 KB each (UTF-16): ~6 MB, over the 4 MiB transaction limit at 60 entities.
        var batches = TableBatches.Split("p", Enumerable.Range(0, 60).Select(i => Entity("p", i, 50_000))).ToList();

        Assert.True(batches.Count >= 2);
        Assert.All(batches, b => Assert.True(b.Sum(TableBatches.EstimateBytes) <= TableBatches.MaxBytes));
        Assert.Equal(60, batches.Sum(b => b.Count));
    }

    [Fact]
    public void Split_MixedPartitionKeys_IsRefusedInCode()
    {
        var ex = Assert.Throws<ArgumentException>(() => TableBatches.Split("p", [Entity("p", 1), Entity("q", 2)]).ToList());

        Assert.Contains("one partition", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_SameRowTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => TableBatches.Split("p", [Entity("p", 1), Entity("p", 1)]).ToList());
    }
}
