using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Testing;
using CsCheck;

namespace CarTLabPipeline.Core.Tests.Rules;

/// <summary>The sample patients of <c>samples/</c>, read with the real reader and normaliser, through every rule.</summary>
public class SyntheticPatientsTests
{
    /// <summary>The patient's enrollment and every result of theirs in samples/lab-files, in any format (detected by content).</summary>
    private static (Enrollment Enrollment, List<LabResult> History) Load(string patientId)
    {
        var samples = Path.Combine(RepositoryPaths.Root, "samples");
        var enrollment = EnrollmentService.Parse(File.ReadAllText(Path.Combine(samples, "patients", patientId + ".json")));
        var history = new List<LabResult>();
        foreach (var file in Directory.GetFiles(Path.Combine(samples, "lab-files"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
        {
            var (stored, errors, _, _) = IngestionHarness.Ingest(File.OpenRead(file), "samples/" + Path.GetFileName(file));
            Assert.Empty(errors);
            history.AddRange(stored.Where(r => r.PatientId == patientId));
        }

        return (enrollment with { EnrolledAt = TestData.Now }, history);
    }

    [Fact]
    public void ReferencePatient_IsWrittenInAllThreeFormats()
    {
        var formats = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "samples", "lab-files"), "*", SearchOption.AllDirectories)
            .Select(f => IngestionHarness.Ingest(File.OpenRead(f)).Format).Distinct().Order();

        Assert.Equal([LabFileFormat.Csv, LabFileFormat.Hl7v2, LabFileFormat.FhirJson], formats);
    }

    [Fact]
    public void ReferencePatient_GivesTheExpectedAlertsAndNeverARelapse()
    {
        var (enrollment, history) = Load("PT-0001");

        var alerts = TestData.Engine().Evaluate(enrollment, history, TestData.Now);

        Assert.Equal(
            [("counts.recovery", 28, AlertSeverity.Info), ("igg.low", 28, AlertSeverity.Warning), ("mrd.negative-conversion", 28, AlertSeverity.Info),
             ("bcell.recovery", 303, AlertSeverity.Info), ("cd4.prophylaxis-stop", 336, AlertSeverity.Info)],
            alerts.Select(a => (a.RuleId, a.DayPostInfusion, a.Severity)));
        Assert.DoesNotContain(alerts, a => a.RuleId.StartsWith("mrd.positive", StringComparison.Ordinal));
    }

    [Fact]
    public void RelapsePatient_GivesEarlyBCellRecoveryAndACriticalPositiveConversion()
    {
        var (enrollment, history) = Load("PT-0002");

        var alerts = TestData.Engine().Evaluate(enrollment, history, TestData.Now);

        Assert.Equal(
            [("mrd.negative-conversion", 28, AlertSeverity.Info), ("bcell.recovery", 60, AlertSeverity.Warning),
             ("mrd.positive-conversion", 91, AlertSeverity.Warning), ("anc.severe-neutropenia", 120, AlertSeverity.Warning),
             ("mrd.positive-conversion", 120, AlertSeverity.Critical), ("mrd.rising", 141, AlertSeverity.Critical)],
            alerts.Select(a => (a.RuleId, a.DayPostInfusion, a.Severity)));
        Assert.StartsWith("Early B-cell recovery", alerts[1].Title, StringComparison.Ordinal);
        Assert.Contains("late ICAHT grade 3", alerts[3].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyArrivalOrderAndRepetition_GiveTheIdenticalAlertSet()
    {
        var (enrollment, history) = Load("PT-0001");
        var engine = TestData.Engine();
        var expected = engine.Evaluate(enrollment, history, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList();

        Gen.Select(Gen.Shuffle(history.ToArray()), Gen.Int[0, 3]).Sample((shuffled, repeats) =>
        {
            var arrived = shuffled.Concat(shuffled.Take(repeats * 7)).ToList();
            Assert.Equal(expected, engine.Evaluate(enrollment, arrived, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList());
        }, iter: 200);
    }

    /// <summary>
    /// A history for the rules of issue 13: bridging baseline, early aplasia with a transient rise and the early ICAHT grade,
    /// no MRD response at day +28, a confirmed B-cell recovery, preliminary results that count for the schedule only.
    /// </summary>
    private static List<LabResult> Issue13History()
    {
        var history = new List<LabResult>
        {
            TestData.Result(Analyte.Mrd, -12, 0.07m), TestData.Result(Analyte.Mrd, -5, 0.7m), TestData.Result(Analyte.IgG, -5, 240m),
            TestData.Result(Analyte.Mrd, 28, 0.5m), TestData.Result(Analyte.Mrd, 91, 0.9m), TestData.Result(Analyte.IgG, 28, 260m),
            TestData.Result(Analyte.Cd19Pct, 28, 0m), TestData.Result(Analyte.Cd19Pct, 170, 2m), TestData.Result(Analyte.Cd19Pct, 200, 3m),
            TestData.Result(Analyte.Cd4Abs, 90, 150m, status: ResultStatus.Preliminary), TestData.Result(Analyte.IgG, 60, 100m, status: ResultStatus.Preliminary),
        };
        history.AddRange(Enumerable.Range(1, 16).Select(d => TestData.Result(Analyte.Anc, d, d == 4 ? 0.6m : 0.3m)));
        return history;
    }

    [Fact]
    public void Issue13Rules_AnyArrivalOrderAndRepetition_GiveTheIdenticalAlertSet()
    {
        var enrollment = TestData.Enrollment() with { EnrolledAt = new DateTimeOffset(2024, 8, 20, 0, 0, 0, TimeSpan.Zero) };
        var history = Issue13History();
        var engine = TestData.Engine(TestData.Configure<CarTLabPipeline.Rules.BCellRecovery.BCellRecoveryOptions>(o => o.ConsecutiveResults = 2));
        var expected = engine.Evaluate(enrollment, history, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList();
        var rules = engine.Evaluate(enrollment, history, TestData.Now).Select(a => a.RuleId).ToHashSet();

        Assert.Superset(new HashSet<string> { "mrd.no-response", "anc.severe-neutropenia", "bcell.recovery", "igg.low", "monitoring.overdue" }, rules);
        Assert.DoesNotContain("mrd.rising", rules);
        Gen.Select(Gen.Shuffle(history.ToArray()), Gen.Int[0, 3]).Sample((shuffled, repeats) =>
        {
            var arrived = shuffled.Concat(shuffled.Take(repeats * 5)).ToList();
            Assert.Equal(expected, engine.Evaluate(enrollment, arrived, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList());
        }, iter: 200);
    }

    [Fact]
    public void WithTreatmentEvents_AnyOrderOfResultsAndEvents_AndRepetition_GiveTheIdenticalAlertSet()
    {
        var infusion = new DateOnly(2024, 8, 27);
        TreatmentEvent On(TreatmentEventKind kind, int day, string? detail = null, int? grade = null) =>
            new() { Kind = kind, Date = infusion.AddDays(day), Detail = detail, Grade = grade };
        TreatmentEvent[] events = [
            On(TreatmentEventKind.Lymphodepletion, -4, "Flu/Cy"), On(TreatmentEventKind.Crs, 2, grade: 2),
            On(TreatmentEventKind.ImmunoglobulinStart, 50, "IVIG"), On(TreatmentEventKind.ProphylaxisStart, 30, "cotrimoxazole"),
            On(TreatmentEventKind.ProphylaxisStop, 150, "cotrimoxazole"), On(TreatmentEventKind.SecondInfusion, 220),
        ];
        var enrollment = TestData.Enrollment() with { EnrolledAt = new DateTimeOffset(2024, 8, 20, 0, 0, 0, TimeSpan.Zero), Events = events };
        var history = Issue13History();
        history.AddRange([
            TestData.Result(Analyte.IgG, 80, 270m), TestData.Result(Analyte.Cd4Abs, 160, 350m), TestData.Result(Analyte.Mrd, 190, 0.4m),
            TestData.Result(Analyte.Mrd, 250, 0.3m), TestData.Result(Analyte.IgG, 240, 260m), TestData.Result(Analyte.Cd19Pct, 240, 0m),
        ]);
        var engine = TestData.Engine(TestData.Configure<CarTLabPipeline.Rules.BCellRecovery.BCellRecoveryOptions>(o => o.ConsecutiveResults = 2));
        var expected = engine.Evaluate(enrollment, history, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList();
        var alerts = engine.Evaluate(enrollment, history, TestData.Now);

        // Both follow-ups give alerts; igg.low on replacement; no cd4 review after the recorded stop.
        Assert.Contains(alerts, a => a.RuleId == "mrd.no-response" && a.InfusionDate == infusion);
        Assert.Contains(alerts, a => a.RuleId == "mrd.no-response" && a.InfusionDate == infusion.AddDays(220));
        Assert.Contains(alerts, a => a.RuleId == "monitoring.overdue" && a.InfusionDate == infusion.AddDays(220));
        Assert.Contains(alerts, a => a.RuleId == "igg.low" && a.Title.EndsWith("on replacement", StringComparison.Ordinal));
        Assert.DoesNotContain(alerts, a => a.RuleId == "cd4.prophylaxis-stop");
        Gen.Select(Gen.Shuffle(history.ToArray()), Gen.Shuffle(events), Gen.Int[0, 3]).Sample((shuffled, shuffledEvents, repeats) =>
        {
            var arrived = shuffled.Concat(shuffled.Take(repeats * 5)).ToList();
            var recorded = enrollment with { Events = [.. shuffledEvents, .. shuffledEvents.Take(repeats)] };
            Assert.Equal(expected, engine.Evaluate(recorded, arrived, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList());
        }, iter: 200);
    }

    [Fact]
    public void PreliminaryResults_NeverFire()
    {
        var (enrollment, history) = Load("PT-0002");

        var alerts = TestData.Engine().Evaluate(enrollment, history.Select(r => r with { Status = ResultStatus.Preliminary }), TestData.Now);

        Assert.Empty(alerts);
    }

    [Fact]
    public void CorrectedResult_ChangesTheAlertSet()
    {
        var (enrollment, history) = Load("PT-0001");
        var igg28 = history.Single(r => r.Analyte == Analyte.IgG && enrollment.DayPostInfusion(r.CollectedAt) == 28);
        var corrected = history.Select(r => r == igg28 ? r with { Value = 310m, Status = ResultStatus.Corrected } : r);

        var alerts = TestData.Engine().Evaluate(enrollment, corrected, TestData.Now);

        Assert.Equal(91, Assert.Single(alerts, a => a.RuleId == "igg.low").DayPostInfusion);
    }

    [Theory]
    [InlineData("PT-0001")]
    [InlineData("PT-0002")]
    public void TheEvaluationsRecord_GivesTheAlertsOfEveryStoredVersion(string patientId)
    {
        // The evaluation resolves the record once and reads it without each version's file location and identity (but a
        // cancellation's): the same alerts, to the last field, as the rules given every stored version in full.
        var (enrollment, history) = Load(patientId);
        var engine = TestData.Engine();
        var expected = Json(engine.Evaluate(enrollment, history, TestData.Now));
        var read = history.Select(v => v with { SourceSegment = null, Identity = v.Status == ResultStatus.Cancelled ? v.Identity : null }).ToList();

        Assert.Equal(expected, Json(engine.Evaluate(enrollment, LabRecord.Resolve(history), TestData.Now)));
        Assert.Equal(expected, Json(engine.Evaluate(enrollment, LabRecord.Resolve(read), TestData.Now)));
        Gen.Shuffle(read.ToArray()).Sample(shuffled =>
            Assert.Equal(expected, Json(engine.Evaluate(enrollment, LabRecord.Resolve([.. shuffled, .. shuffled.Take(5)]), TestData.Now))), iter: 50);
    }

    private static string Json(IReadOnlyList<Alert> alerts) => System.Text.Json.JsonSerializer.Serialize(alerts, PipelineJson.Options);
}
