using System.Text;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Core.Tests.Ingestion;

public class LabFileParserTests
{
    private const string Csv = """
        patient_id,collected_at,analyte,value,unit,accession
        PT-P1,2024-09-24T08:00:00+02:00,igg,280,mg/dL,A-1
        PT-P1,2024-09-25T08:00:00+02:00,igg,abc,mg/dL,A-2
        PT-P1,2024-09-26T08:00:00+02:00,wbc_other,1,10^9/L,A-3
        PT-P1,2024-09-27T08:00:00+02:00,igg,290,mg/dL,A-4
        """;

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void EveryResultOfAFile_SharesItsArrivalTime_AndKeepsItsLine()
    {
        var receivedAt = new DateTimeOffset(2026, 1, 10, 9, 30, 0, TimeSpan.Zero);
        using var file = IngestionHarness.Parser().Open(Bytes(Csv), "lab/p1.csv", receivedAt, default);

        var items = file.Items.ToList();

        Assert.Equal(LabFileFormat.Csv, file.Format);
        var results = items.Where(i => i.Result is not null).Select(i => i.Result!).ToList();
        Assert.Equal([2, 5], results.Select(r => r.SourceLine));
        Assert.All(results, r => Assert.Equal((receivedAt, "lab/p1.csv"), (r.ReceivedAt, r.SourceFile)));
        Assert.All(results, r => Assert.NotEmpty(r.VersionId));
        Assert.Equal([3, 4], items.Where(i => i.Error is not null).Select(i => i.Error!.Line!.Value));
    }

    [Fact]
    public void UnknownFormat_IsAFileLevelError_OnLineOne()
    {
        using var file = IngestionHarness.Parser().Open(Bytes("Dear lab team,\nplease find attached…\n"), "lab/notes.txt", null, default);

        var ex = Assert.Throws<LabFileFormatException>(() => file.Items.ToList());

        Assert.Equal(LabFileFormat.Unknown, file.Format);
        Assert.Equal(1, ex.Error.Line);
        Assert.StartsWith("not a recognised lab file", ex.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Items_AreReadOnce()
    {
        using var file = IngestionHarness.Parser().Open(Bytes(Csv), "lab/p1.csv", null, default);
        _ = file.Items.ToList();

        Assert.Throws<InvalidOperationException>(() => file.Items.ToList());
    }

    [Fact]
    public async Task ResultIds_AreThoseOfTheFilesStorableResults()
    {
        var rig = new IngestionRig();
        var source = rig.Files.Add("lab/p1.csv", Csv);

        var ids = await IngestionHarness.Parser().ResultIdsAsync(source, default);
        await rig.Ingestion.IngestAsync(source, default);

        Assert.Equal(2, ids.Count);
        Assert.Equal(ids.Order(), rig.Results.Rows["PT-P1"].Values.Select(r => r.ResultId).Order());
    }

    [Fact]
    public async Task ResultIds_OfAnUnreadableFile_AreNone()
    {
        var ids = await IngestionHarness.Parser().ResultIdsAsync(new MemorySource("lab/x.txt", "not a lab file", null), default);

        Assert.Empty(ids);
    }
}
