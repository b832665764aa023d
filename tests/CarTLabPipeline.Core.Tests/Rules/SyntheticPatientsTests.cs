using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Testing;
using CsCheck;

namespace CarTLabPipeline.Core.Tests.Rules;

/// <summary>The sample patients of <c>samples/</c>, read with the real reader and normaliser, through every rule.</summary>
public class SyntheticPatientsTests
{
    private static (Enrollment Enrollment, List<LabResult> History) Load(string patientId, string filePattern)
    {
        var samples = Path.Combine(RepositoryPaths.Root, "samples");
        var enrollment = EnrollmentService.Parse(File.ReadAllText(Path.Combine(samples, "patients", patientId + ".json")));
        var history = new List<LabResult>();
        foreach (var file in Directory.GetFiles(Path.Combine(samples, "lab-files", "csv"), filePattern))
        {
            using var stream = File.OpenRead(file);
            foreach (var item in new CsvLabReader().Read(stream, file, CancellationToken.None))
            {
                var outcome = TestData.Normalizer().Normalize(item.Result ?? throw new InvalidOperationException(item.Error!.ToString()), file);
                history.Add(outcome.Result ?? throw new InvalidOperationException(outcome.Error!.ToString()));
            }
        }

        return (enrollment with { EnrolledAt = TestData.Now }, history);
    }

    [Fact]
    public void ReferencePatient_GivesTheExpectedAlertsAndNeverARelapse()
    {
        var (enrollment, history) = Load("PT-0001", "20*.csv");

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
        var (enrollment, history) = Load("PT-0002", "PT-0002_*.csv");

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
        var (enrollment, history) = Load("PT-0001", "20*.csv");
        var engine = TestData.Engine();
        var expected = engine.Evaluate(enrollment, history, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList();

        Gen.Select(Gen.Shuffle(history.ToArray()), Gen.Int[0, 3]).Sample((shuffled, repeats) =>
        {
            var arrived = shuffled.Concat(shuffled.Take(repeats * 7)).ToList();
            Assert.Equal(expected, engine.Evaluate(enrollment, arrived, TestData.Now).Select(a => (a.AlertId, a.Summary)).ToList());
        }, iter: 200);
    }

    [Fact]
    public void PreliminaryResults_NeverFire()
    {
        var (enrollment, history) = Load("PT-0002", "PT-0002_*.csv");

        var alerts = TestData.Engine().Evaluate(enrollment, history.Select(r => r with { Status = ResultStatus.Preliminary }), TestData.Now);

        Assert.Empty(alerts);
    }

    [Fact]
    public void CorrectedResult_ChangesTheAlertSet()
    {
        var (enrollment, history) = Load("PT-0001", "20*.csv");
        var igg28 = history.Single(r => r.Analyte == Analyte.IgG && enrollment.DayPostInfusion(r.CollectedAt) == 28);
        var corrected = history.Select(r => r == igg28 ? r with { Value = 310m, Status = ResultStatus.Corrected } : r);

        var alerts = TestData.Engine().Evaluate(enrollment, corrected, TestData.Now);

        Assert.Equal(91, Assert.Single(alerts, a => a.RuleId == "igg.low").DayPostInfusion);
    }
}
