using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Testing.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Pipeline;

/// <summary>
/// A record of more than <c>Evaluation__MaxRecordVersions</c> versions (a misrouted feed) is not evaluated: ops are told
/// once, the patient's alerts stay as they were, and the evaluation that finds the record within the limit again retracts
/// the ops alert. The limit is set low (1,000) so that the record is small enough for a unit test.
/// </summary>
public class RecordTooLargeTests
{
    private const string Patient = "PT-BIG";
    private const string Ops = "ops@hospital.example";

    /// <summary>The limit, changed by the tests as an operator changes the setting (and restarts the host).</summary>
    private readonly EvaluationOptions _limits = new() { MaxRecordVersions = 1_000 };

    private InMemoryPipeline Start() => new(
        new Dictionary<string, string?> { ["Email:Ops"] = Ops },
        configure: services => services.AddSingleton<IOptions<EvaluationOptions>>(Options.Create(_limits)));

    /// <summary>IgG on day +28, 250 mg/dL (raises igg.low); corrected to 450 mg/dL it no longer holds.</summary>
    private static LabResult LowIgG(decimal value = 250m, ResultStatus status = ResultStatus.Final, int reportedHours = 4)
    {
        var r = TestData.Result(Analyte.IgG, day: 28, value: value, status: status, patientId: Patient);
        var identity = ResultIdentity.FromAccession("CL-28", Analyte.IgG, null);
        var v = r with { ResultId = ResultIds.ForIdentity(Patient, identity), Identity = identity, ReportedAt = r.CollectedAt.AddHours(reportedHours) };
        return v with { VersionId = ResultIds.ForVersion(v) };
    }

    /// <summary>A feed's worth of normal IgG values, one a minute from day +1 (what a misrouted device stream looks like).</summary>
    private static LabResult[] Flood(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var r = TestData.Result(Analyte.IgG, day: 1, value: 500m + (i % 100), patientId: Patient);
        var at = r.CollectedAt.AddMinutes(i);
        var v = r with { CollectedAt = at, ResultId = ResultIds.ForResult(Patient, Analyte.IgG, at) };
        return v with { VersionId = ResultIds.ForVersion(v) };
    })];

    private static Alert Single(InMemoryPipeline pipeline, string ruleId) => Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == ruleId).Alert;

    [Fact]
    public async Task ARecordOverTheLimit_IsNotEvaluated_OpsAreToldOnce_AndThePatientsAlertsStayAsTheyWere()
    {
        await using var pipeline = Start();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        await pipeline.RunAsync();
        var low = Single(pipeline, "igg.low");
        var mails = pipeline.EmailSender.Sent.Count;

        // The correction would retract igg.low, but it arrives with 1,000 more results: 1,002 versions, over the limit.
        await pipeline.StoreAsync([LowIgG(450m, ResultStatus.Corrected, reportedHours: 30), .. Flood(1_000)]);
        await pipeline.RunAsync();

        Assert.Equal(PipelineJson.Serialize(low), PipelineJson.Serialize(Single(pipeline, "igg.low"))); // neither updated nor retracted
        var ops = Single(pipeline, RecordTooLarge.RuleId);
        Assert.Equal((AlertAudience.Ops, AlertSeverity.Warning, AlertStatus.Open, Patient), (ops.Audience, ops.Severity, ops.Status, ops.PatientId));
        Assert.Equal(RecordTooLarge.AlertId(Patient), ops.AlertId);
        Assert.Contains($"Patient {Patient} has more than 1,000 results on record (Evaluation__MaxRecordVersions=1,000)", ops.Summary, StringComparison.Ordinal);
        Assert.Contains("not evaluated", ops.Summary, StringComparison.Ordinal);
        Assert.Contains("existing alerts are neither updated nor retracted", ops.Summary, StringComparison.Ordinal);
        Assert.Contains("Check the feed that sent them", ops.SuggestedAction, StringComparison.Ordinal);
        Assert.Contains("raise Evaluation__MaxRecordVersions", ops.SuggestedAction, StringComparison.Ordinal);
        var mail = Assert.Single(pipeline.EmailSender.Sent.Skip(mails));
        Assert.Equal((Ops, "[CAR-T ops · warning] A patient's record is too large to evaluate"), (mail.To, mail.Subject));

        var outcome = await pipeline.Get<PatientEvaluationService>().EvaluateAsync(Patient, CancellationToken.None);
        Assert.True(outcome.RecordTooLarge);
        Assert.Equal(1_000, outcome.MaxRecordVersions);
        Assert.Equal((0, 0, 0, 1), (outcome.Raised, outcome.Updated, outcome.Retracted, outcome.Unchanged));
    }

    [Fact]
    public async Task ARecordOverTheLimit_EvaluatedAgain_ChangesAndSendsNothing()
    {
        await using var pipeline = Start();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(Flood(1_001));
        await pipeline.RunAsync();
        var ops = Single(pipeline, RecordTooLarge.RuleId);
        var (mails, events) = (pipeline.EmailSender.Sent.Count, pipeline.LabAlerts.Published.Count);

        // A re-delivered message, the next file of the same feed, the daily run: later, and with more results.
        pipeline.Time.Advance(TimeSpan.FromHours(3));
        await pipeline.StoreAsync(Flood(1_200));
        await pipeline.Get<MonitoringService>().RunAsync(CancellationToken.None);
        await pipeline.RunAsync();
        await pipeline.Get<PatientEvaluationService>().EvaluateAsync(Patient, CancellationToken.None);

        Assert.Equal(PipelineJson.Serialize(ops), PipelineJson.Serialize(Single(pipeline, RecordTooLarge.RuleId)));
        Assert.Equal((mails, events), (pipeline.EmailSender.Sent.Count, pipeline.LabAlerts.Published.Count));
    }

    [Fact]
    public async Task NewResultsForARecordFoundTooLarge_DoNotReadItAgain_TheDailyRunAndANewLimitDo()
    {
        await using var pipeline = Start();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(Flood(1_001));
        await pipeline.RunAsync();
        var ops = Single(pipeline, RecordTooLarge.RuleId);
        var reads = pipeline.Results.Reads;

        // The feed's next files: results only add to the record, and the ops alert says it is over this very limit.
        pipeline.Time.Advance(TimeSpan.FromMinutes(5));
        await pipeline.StoreAsync(Flood(1_100));
        await pipeline.StoreAsync(Flood(1_200));
        await pipeline.RunAsync();

        Assert.Equal(reads, pipeline.Results.Reads);
        Assert.Equal(PipelineJson.Serialize(ops), PipelineJson.Serialize(Single(pipeline, RecordTooLarge.RuleId)));

        // The daily run reads it (rows removed from the table by hand would be seen), and so does a new limit.
        await pipeline.Get<MonitoringService>().RunAsync(CancellationToken.None);
        await pipeline.RunAsync();
        Assert.Equal(reads + 1, pipeline.Results.Reads);
        _limits.MaxRecordVersions = 1_100;
        await pipeline.StoreAsync(Flood(1_200));
        await pipeline.RunAsync();
        Assert.Equal(reads + 2, pipeline.Results.Reads);
        Assert.Contains("more than 1,100 results", Single(pipeline, RecordTooLarge.RuleId).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLimitRaised_ThePatientIsEvaluated_AndTheOpsAlertRetracted()
    {
        await using var pipeline = Start();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        await pipeline.RunAsync();
        await pipeline.StoreAsync([LowIgG(450m, ResultStatus.Corrected, reportedHours: 30), .. Flood(1_000)]);
        await pipeline.RunAsync();
        Assert.Equal(AlertStatus.Open, Single(pipeline, RecordTooLarge.RuleId).Status);

        _limits.MaxRecordVersions = 2_000;
        var outcome = await pipeline.Get<PatientEvaluationService>().EvaluateAsync(Patient, CancellationToken.None);
        await pipeline.RunAsync();

        Assert.False(outcome.RecordTooLarge);
        Assert.Null(outcome.MaxRecordVersions);
        Assert.Equal(1_001, outcome.Results);
        Assert.Equal(2, outcome.Retracted); // igg.low (its result was corrected meanwhile) and the ops alert
        var ops = Single(pipeline, RecordTooLarge.RuleId);
        Assert.Equal(AlertStatus.Retracted, ops.Status);
        Assert.Equal("the patient's record (1,001 results) is within Evaluation__MaxRecordVersions now, and the patient was evaluated", ops.RetractionReason);
        Assert.Equal(AlertStatus.Retracted, Single(pipeline, "igg.low").Status);
        Assert.Single(pipeline.EmailSender.Sent, m => m.To == Ops && m.Subject == "[CAR-T ops · retracted · warning] A patient's record is too large to evaluate");

        // Too large again (the limit lowered, or the feed goes on): the same alert holds again, as an update.
        _limits.MaxRecordVersions = 1_000;
        await pipeline.Get<PatientEvaluationService>().EvaluateAsync(Patient, CancellationToken.None);
        var again = Single(pipeline, RecordTooLarge.RuleId);
        Assert.Equal((AlertStatus.Open, 3), (again.Status, again.Revision));
        Assert.StartsWith("the alert holds again", again.Change, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAlertsChart_OfARecordOverTheLimit_IsNotDrawn_AndItsMailSaysWhy()
    {
        await using var pipeline = Start();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        await pipeline.RunEvaluationsAsync(); // igg.low raised, its mails not sent yet
        await pipeline.StoreAsync(Flood(1_000));
        await pipeline.RunAsync();

        var low = Single(pipeline, "igg.low");
        var mail = Assert.Single(pipeline.EmailSender.Sent, m => m.To == InMemoryPipeline.DefaultCareTeamEmail);
        Assert.Empty(mail.InlineImages);
        Assert.Contains("No trend chart: the patient's record holds more than 1,000 results (Evaluation__MaxRecordVersions)", mail.Text, StringComparison.Ordinal);
        Assert.Contains("No trend chart: the patient&#39;s record holds more than 1,000 results", mail.Html, StringComparison.Ordinal);
        var enrollment = (await pipeline.Patients.GetAsync(Patient, CancellationToken.None))!;
        var timelines = pipeline.Get<PatientTimelineService>();
        var png = await timelines.RenderAlertPngAsync(low, enrollment, CancellationToken.None);
        var view = await timelines.GetAlertViewAsync(low, enrollment, CancellationToken.None);
        Assert.Equal((null, true), (png.Chart, png.RecordTooLarge));
        Assert.Equal((null, true), (view.Chart, view.RecordTooLarge));
        Assert.Equal(png.NotDrawn, view.NotDrawn);

        // Within the limit, the same alert's chart is drawn.
        _limits.MaxRecordVersions = 2_000;
        Assert.NotNull((await timelines.RenderAlertPngAsync(low, enrollment, CancellationToken.None)).Chart);
        Assert.NotNull((await timelines.GetAlertViewAsync(low, enrollment, CancellationToken.None)).Chart);
    }

    [Fact]
    public async Task EveryViewOfARecordOverTheLimit_SaysSoAndWhatResolvesIt_ReadingAtMostTheLimitPlusOneRowsEach()
    {
        await using var pipeline = Start();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(Flood(1_001));
        var at = pipeline.Time.GetUtcNow();
        var rowsBefore = pipeline.Results.RowsRead;

        PatientQueryStatus[] answers =
        [
            (await pipeline.Get<ResultQueryService>().GetAsync(Patient, includeVersions: true, default)).Status,
            (await pipeline.Get<PatientTimelineService>().GetAsync(Patient, default)).Status,
            (await pipeline.Get<PatientTimelineService>().GetViewAsync(Patient, default)).Status,
            (await pipeline.Get<ScheduleQueryService>().GetScheduleAsync(Patient, default)).Status,
            (await pipeline.Get<PatientEvaluationService>().PreviewAsync(Patient, at, default)).Status,
        ];

        Assert.All(answers, a => Assert.Equal(PatientQueryStatus.RecordTooLarge, a));
        Assert.Equal(5 * 1_001, pipeline.Results.RowsRead - rowsBefore);
        var detail = (await pipeline.Get<ResultQueryService>().GetAsync(Patient, includeVersions: false, default)).Detail;
        Assert.Equal($"Patient {Patient} has more than 1,000 results on record (Evaluation__MaxRecordVersions): the record is not read, so nothing is " +
            "shown from it and the patient is not evaluated; if the record is real, raise the setting and run cartlab monitor, if not, stop the " +
            "feed that sent it (the evaluation.record-too-large ops alert says how to find its files)", detail);

        // Within the limit (an operator raised it), every view answers.
        _limits.MaxRecordVersions = 2_000;
        Assert.NotNull((await pipeline.Get<ResultQueryService>().GetAsync(Patient, includeVersions: true, default)).Value);
        Assert.Single((await pipeline.Get<PatientTimelineService>().GetAsync(Patient, default)).Value!.Series);
        Assert.Single((await pipeline.Get<PatientTimelineService>().GetViewAsync(Patient, default)).Value!.Series);
        Assert.NotNull((await pipeline.Get<ScheduleQueryService>().GetScheduleAsync(Patient, default)).Value);
        Assert.NotNull((await pipeline.Get<PatientEvaluationService>().PreviewAsync(Patient, at, default)).Value);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("1000001")]
    public void ALimitOutsideItsRange_StopsTheHostAtStartUp(string limit)
    {
        var invalid = Assert.Throws<OptionsValidationException>(() => new InMemoryPipeline(new Dictionary<string, string?> { ["Evaluation:MaxRecordVersions"] = limit }));
        Assert.Contains("MaxRecordVersions", invalid.Message, StringComparison.Ordinal);
    }
}
