using CarTLabPipeline.Domain;
using CarTLabPipeline.LocalHost.Cli;
using CarTLabPipeline.Results;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary><c>cartlab results</c> says what the collection time is: a date sent without a time, a withdrawal sent without one.</summary>
public class ResultPrinterTests
{
    private static readonly DateTimeOffset s_noonInTokyo = new(2024, 9, 10, 12, 0, 0, TimeSpan.FromHours(9));

    private static ResultVersionView Version(ResultStatus status, string value, DateTimeOffset collectedAt, CollectionTimeKind kind, bool current) => new()
    {
        VersionId = "v-" + status,
        Status = status,
        Current = current,
        OriginalValue = value,
        OriginalUnit = value.Length > 0 ? "10*9/L" : string.Empty,
        Value = value.Length > 0 ? 0.4m : null,
        Unit = "10*9/L",
        ReceivedAt = collectedAt.AddHours(5).AddMinutes(7),
        SourceFile = "lab/a.hl7",
        SourceLine = 4,
        CollectedAt = collectedAt,
        CollectedAtKind = kind,
    };

    private static string Print(ResultView result)
    {
        using var output = new StringWriter();
        ResultPrinter.Print(output, new PatientResultsView("PT-1", "brexu-cel", new DateOnly(2024, 8, 27), "America/New_York", [result]), json: false, showVersions: true);
        return output.ToString();
    }

    private static ResultView View(IReadOnlyList<ResultVersionView> versions, CollectionTimeKind kind, bool withdrawn) => new()
    {
        ResultId = "r1",
        PatientId = "PT-1",
        Analyte = "anc",
        Loinc = "751-8",
        OriginalValue = versions[^1].OriginalValue,
        OriginalUnit = versions[^1].OriginalUnit,
        Value = versions[^1].Value,
        Unit = "10*9/L",
        CollectedAt = s_noonInTokyo,
        CollectedAtKind = kind,
        CollectedOn = new DateOnly(2024, 9, 10),
        DayPostInfusion = 14,
        Status = versions[^1].Status,
        Withdrawn = withdrawn,
        SourceFile = "lab/a.hl7",
        SourceLine = 4,
        VersionCount = versions.Count,
        Versions = versions,
    };

    [Fact]
    public void Print_DateOnlyResult_SaysNoTimeWasSent_OnTheDateAsSent()
    {
        var text = Print(View([Version(ResultStatus.Final, "0.4", s_noonInTokyo, CollectionTimeKind.Date, current: true)], CollectionTimeKind.Date, withdrawn: false));

        Assert.Contains("2024-09-10  +14", text, StringComparison.Ordinal);
        Assert.Contains("date only (no time sent)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("12:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_WithdrawalWithoutCollectionTime_SaysSo_AndTheResultKeepsItsDay()
    {
        var messageTime = new DateTimeOffset(2024, 9, 13, 9, 0, 0, TimeSpan.FromHours(9));
        var text = Print(View(
            [
                Version(ResultStatus.Final, "0.4", s_noonInTokyo, CollectionTimeKind.Instant, current: false),
                Version(ResultStatus.Cancelled, string.Empty, messageTime, CollectionTimeKind.MessageTime, current: true),
            ],
            CollectionTimeKind.Instant,
            withdrawn: true));

        Assert.Contains("2024-09-10  +14", text, StringComparison.Ordinal);
        Assert.Contains("no collection time sent", text, StringComparison.Ordinal);
        Assert.DoesNotContain("collected 2024-09-13", text, StringComparison.Ordinal);
    }
}
