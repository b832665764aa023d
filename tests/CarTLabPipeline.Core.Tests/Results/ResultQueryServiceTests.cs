using System.Text.Json;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Results;

public class ResultQueryServiceTests
{
    private const string Patient = "PT-T1";
    private static readonly DateTimeOffset s_collected = new(2024, 9, 24, 8, 0, 0, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset s_received = new(2024, 9, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CorrectedResult_ShowsBothVersions_WithTheCorrectedValueCurrent()
    {
        var final = Version("acc:CL-1|igg|", ResultStatus.Final, "2.8", "g/L", 280m, reportedHour: 10, line: 3, file: "lab/a.csv");
        var corrected = Version("acc:CL-1|igg|", ResultStatus.Corrected, "3.1", "g/L", 310m, reportedHour: 14, line: 2, file: "lab/b.csv");
        var service = Service(corrected, final);

        var view = (await service.GetAsync(Patient, includeVersions: true, default)).Value!;

        var result = Assert.Single(view!.Results);
        Assert.Equal((ResultStatus.Corrected, "3.1", "g/L", 310m, "mg/dL", false), (result.Status, result.OriginalValue, result.OriginalUnit, result.Value, result.Unit, result.Withdrawn));
        Assert.Equal(("igg", "2465-3", "acc:CL-1|igg|", 2), (result.Analyte, result.Loinc, result.Identity, result.VersionCount));
        Assert.Equal(("lab/b.csv", 2), (result.SourceFile, result.SourceLine));
        Assert.Collection(result.Versions!,
            v => Assert.Equal((ResultStatus.Final, "2.8", 280m, "lab/a.csv", 3, false), (v.Status, v.OriginalValue, v.Value, v.SourceFile, v.SourceLine, v.Current)),
            v => Assert.Equal((ResultStatus.Corrected, "3.1", 310m, "lab/b.csv", 2, true), (v.Status, v.OriginalValue, v.Value, v.SourceFile, v.SourceLine, v.Current)));
        Assert.Equal(s_collected.Date.AddHours(14), result.Versions![1].ReportedAt!.Value.DateTime);
        Assert.Equal(s_received, result.Versions[1].ReceivedAt);
    }

    [Fact]
    public async Task CancelledResult_IsListedAsWithdrawn()
    {
        var final = Version("acc:CL-2|anc|", ResultStatus.Final, "0.3", "10^9/L", 0.3m, reportedHour: 10, analyte: Analyte.Anc);
        var cancelled = Version("acc:CL-2|anc|", ResultStatus.Cancelled, string.Empty, string.Empty, null, reportedHour: 12, analyte: Analyte.Anc);
        var other = Version("acc:CL-3|plt|", ResultStatus.Final, "61", "10^9/L", 61m, reportedHour: 10, analyte: Analyte.Plt);
        var service = Service(final, cancelled, other);

        var view = (await service.GetAsync(Patient, includeVersions: false, default)).Value!;

        Assert.Equal(2, view!.Results.Count);
        var withdrawn = Assert.Single(view.Results, r => r.Analyte == "anc");
        Assert.True(withdrawn.Withdrawn);
        Assert.Equal((ResultStatus.Cancelled, 2), (withdrawn.Status, withdrawn.VersionCount));
        Assert.Null(withdrawn.Versions);
        Assert.False(Assert.Single(view.Results, r => r.Analyte == "plt").Withdrawn);
    }

    [Fact]
    public async Task PreliminaryAfterFinal_LeavesTheFinalCurrent()
    {
        var final = Version("acc:FL-1|mrd|", ResultStatus.Final, "0.7", "%", 0.7m, reportedHour: 10, analyte: Analyte.Mrd);
        var preliminary = Version("acc:FL-1|mrd|", ResultStatus.Preliminary, "0.5", "%", 0.5m, reportedHour: 16, analyte: Analyte.Mrd);
        var service = Service(final, preliminary);

        var view = (await service.GetAsync(Patient, includeVersions: true, default)).Value!;

        var result = Assert.Single(view!.Results);
        Assert.Equal((ResultStatus.Final, "0.7", 2), (result.Status, result.OriginalValue, result.VersionCount));
        Assert.Equal([ResultStatus.Preliminary, ResultStatus.Final], result.Versions!.Select(v => v.Status));
        Assert.Equal([false, true], result.Versions!.Select(v => v.Current));
    }

    [Theory]
    [InlineData("Europe/Rome", "2024-09-24", 28)]
    [InlineData("America/New_York", "2024-09-23", 27)]
    public async Task DayPostInfusion_IsCountedInThePatientsTimeZone_AndCollectedAtKeepsTheLabsOffset(string zone, string localDate, int day)
    {
        // 2024-09-23 23:30 UTC: already the 24th in Rome, still the 23rd in New York; the lab wrote it at +05:30.
        var collected = new DateTimeOffset(2024, 9, 24, 5, 0, 0, TimeSpan.FromHours(5.5));
        var result = Version("acc:CL-9|igg|", ResultStatus.Final, "450", "mg/dL", 450m, reportedHour: 10) with { CollectedAt = collected };
        var service = Create(new FakePatients(TestData.Enrollment(Patient, zone: zone)), new FakeResults(result));

        var view = (await service.GetAsync(Patient, includeVersions: false, default)).Value!;

        var row = Assert.Single(view!.Results);
        Assert.Equal((DateOnly.Parse(localDate, System.Globalization.CultureInfo.InvariantCulture), day), (row.CollectedOn, row.DayPostInfusion));
        Assert.Equal(TimeSpan.FromHours(5.5), row.CollectedAt.Offset);
        Assert.Equal(zone, view.TimeZone);
    }

    [Fact]
    public async Task Results_AreInCollectionOrder()
    {
        var later = Version("acc:CL-5|igg|", ResultStatus.Final, "300", "mg/dL", 300m, reportedHour: 10) with { CollectedAt = s_collected.AddDays(30) };
        var earlier = Version("acc:CL-4|igg|", ResultStatus.Final, "250", "mg/dL", 250m, reportedHour: 10);
        var service = Service(later, earlier);

        var view = (await service.GetAsync(Patient, includeVersions: false, default)).Value!;

        Assert.Equal(["250", "300"], view!.Results.Select(r => r.OriginalValue));
        Assert.Equal([28, 58], view.Results.Select(r => r.DayPostInfusion));
    }

    [Fact]
    public async Task AfterAnHsct_DayCountsFromIt_AsTheAlertsDo_EarlierResultsFromTheInfusion()
    {
        var before = Version("acc:CL-6|igg|", ResultStatus.Final, "250", "mg/dL", 250m, reportedHour: 10); // day +28
        var after = Version("acc:CL-7|igg|", ResultStatus.Final, "300", "mg/dL", 300m, reportedHour: 10) with { CollectedAt = s_collected.AddDays(100) };
        var hsct = new TreatmentEvent { Kind = TreatmentEventKind.AllogeneicHsct, Date = new DateOnly(2024, 12, 1) }; // day +96
        var service = Create(new FakePatients(TestData.Enrollment(Patient) with { Events = [hsct] }), new FakeResults(before, after));

        var view = (await service.GetAsync(Patient, includeVersions: false, default)).Value!;

        Assert.Equal([(28, null), (32, "allo-HSCT")], view!.Results.Select(r => (r.DayPostInfusion, r.DayZeroEvent)));
    }

    [Fact]
    public async Task NotEnrolledPatient_IsSaid()
    {
        var service = Create(new FakePatients(), new FakeResults(Version("acc:X|igg|", ResultStatus.Final, "1", "g/L", 100m, 10)));

        Assert.Equal(PatientQueryStatus.NotEnrolled, (await service.GetAsync(Patient, includeVersions: true, default)).Status);
    }

    [Fact]
    public async Task Json_IsCamelCase_WithStatusWords_AndVersionsOnlyWhenAskedFor()
    {
        var final = Version("acc:CL-1|igg|", ResultStatus.Final, "2.8", "g/L", 280m, reportedHour: 10);
        var corrected = Version("acc:CL-1|igg|", ResultStatus.Corrected, "3.1", "g/L", 310m, reportedHour: 14);
        var service = Service(final, corrected);

        var without = JsonDocument.Parse(PipelineJson.Serialize((await service.GetAsync(Patient, false, default)).Value!.Results[0])).RootElement;
        var with = JsonDocument.Parse(PipelineJson.Serialize((await service.GetAsync(Patient, true, default)).Value!.Results[0])).RootElement;
        // The HTTP API serializes with ASP.NET Core's web defaults: the status must still be its word.
        var web = JsonSerializer.Serialize((await service.GetAsync(Patient, true, default)).Value!, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.False(without.TryGetProperty("versions", out _));
        Assert.Equal(("corrected", "3.1", "g/L", 310m, 2), (without.GetProperty("status").GetString(), without.GetProperty("originalValue").GetString(),
            without.GetProperty("originalUnit").GetString(), without.GetProperty("value").GetDecimal(), without.GetProperty("versionCount").GetInt32()));
        Assert.Equal(("2024-09-24", 28, false), (without.GetProperty("collectedOn").GetString(), without.GetProperty("dayPostInfusion").GetInt32(),
            without.GetProperty("withdrawn").GetBoolean()));
        Assert.Equal(["final", "corrected"], with.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        Assert.Contains("\"status\":\"corrected\"", web, StringComparison.Ordinal);
        Assert.Contains("\"sourceLine\":", web, StringComparison.Ordinal);
    }

    private static ResultQueryService Service(params LabResult[] versions) =>
        Create(new FakePatients(TestData.Enrollment(Patient)), new FakeResults(versions));

    private static ResultQueryService Create(IPatientStore patients, ILabResultStore results) =>
        new(patients, new PatientRecordReader(results, Options.Create(new EvaluationOptions())));

    /// <summary>A version of the result with the lab's identity <paramref name="identity"/>, issued on the collection day at <paramref name="reportedHour"/>.</summary>
    private static LabResult Version(string identity, ResultStatus status, string sent, string sentUnit, decimal? value, int reportedHour,
        int line = 2, string file = "lab/file.csv", Analyte analyte = Analyte.IgG)
    {
        var info = AnalyteCatalog.Get(analyte);
        var result = new LabResult
        {
            ResultId = ResultIds.ForIdentity(Patient, identity),
            Identity = identity,
            PatientId = Patient,
            Analyte = analyte,
            Loinc = info.Loinc,
            Value = value,
            Unit = info.CanonicalUnit,
            OriginalValue = sent,
            OriginalUnit = sentUnit,
            CollectedAt = s_collected,
            ReportedAt = new DateTimeOffset(s_collected.Date.AddHours(reportedHour), s_collected.Offset),
            ReceivedAt = s_received,
            Status = status,
            Lab = "HOSP-CORE",
            SourceFile = file,
            SourceLine = line,
        };
        return result with { VersionId = ResultIds.ForVersion(result) };
    }

    private sealed class FakePatients(params Enrollment[] enrolled) : IPatientStore
    {
        public Task<Enrollment?> GetAsync(string patientId, CancellationToken cancellationToken) =>
            Task.FromResult(enrolled.FirstOrDefault(e => e.PatientId == patientId));

        public Task<bool> IsEnrolledAsync(string patientId, CancellationToken cancellationToken) =>
            Task.FromResult(enrolled.Any(e => e.PatientId == patientId));

        public Task UpsertAsync(Enrollment enrollment, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoredEnrollment?> GetForUpdateAsync(string patientId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> TryReplaceAsync(Enrollment enrollment, string etag, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<Enrollment> ListAsync(CancellationToken cancellationToken) => enrolled.ToAsyncEnumerable();
    }

    private sealed class FakeResults(params LabResult[] versions) : ILabResultStore
    {
        public Task UpsertAsync(string patientId, IReadOnlyCollection<LabResult> results, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RecordRead> GetVersionsAsync(string patientId, int maxVersions, CancellationToken cancellationToken) =>
            Task.FromResult(RecordRead.Within([.. versions.Where(v => v.PatientId == patientId)], maxVersions));

        public Task<RecordRead> GetVersionsForEvaluationAsync(string patientId, int maxVersions, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the results view reads every version whole, with its source");
    }
}
