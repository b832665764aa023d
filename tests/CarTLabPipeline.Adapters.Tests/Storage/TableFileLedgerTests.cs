using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Adapters.Tests.Storage;

public class TableFileLedgerTests
{
    [Fact]
    public void Row_OfAFileNamingThousandsOfUnknownPatients_FitsATableProperty()
    {
        // Found by the 100 MB load run: 2,875 unknown patients made the row's JSON exceed the 32K-character property limit.
        var report = new IngestionReport
        {
            File = "lab/huge.csv",
            ContentSha256 = new string('a', 64),
            UnknownPatients = [.. Enumerable.Range(0, 5000).Select(i => $"PATIENT-{i:D8}")],
            Errors = [.. Enumerable.Range(0, 1000).Select(i => new IngestionError(i, null, "value", new string('x', 300)))],
        };

        var entity = TableFileLedger.ToEntity(report);

        Assert.True(entity.GetString("Json").Length <= 30_000);
        Assert.Equal(5000, entity.GetInt32("UnknownPatientCount"));
        Assert.NotEmpty(PipelineJson.Deserialize<IngestionReport>(entity.GetString("Json"))!.UnknownPatients);
    }
}
