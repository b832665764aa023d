using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules.MonitoringOverdue;

namespace CarTLabPipeline.Benchmarks;

/// <summary>How alert-dense a synthetic history is.</summary>
public enum HistoryProfile
{
    /// <summary>A follow-up like the reference patient: steady values with a few clinical episodes (a handful of alerts).</summary>
    Typical,
    /// <summary>Uniform random values that cross every threshold again and again: the worst case (hundreds of alerts).</summary>
    AlertDense,
}

/// <summary>Deterministic synthetic histories: every analyte, over two years, values in clinically plausible ranges.</summary>
public static class SyntheticCohort
{
    public static readonly DateTimeOffset AsOf = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Enrollment Enrollment(string patientId) => new()
    {
        PatientId = patientId,
        InfusionDate = new DateOnly(2024, 8, 27),
        Product = "brexu-cel",
        TimeZone = "Europe/Rome",
        EnrolledAt = new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero),
    };

    public static IEnumerable<LabResult> History(string patientId, int count, int seed, HistoryProfile profile = HistoryProfile.AlertDense)
    {
        var random = new Random(seed);
        var infusion = new DateTimeOffset(2024, 8, 27, 8, 0, 0, TimeSpan.FromHours(2));
        var collections = profile == HistoryProfile.Typical ? TypicalCollections(count) : EvenCollections(count);
        foreach (var (analyte, collected) in collections)
        {
            var at = infusion.AddMinutes(collected * 24 * 60);
            var value = profile == HistoryProfile.Typical ? Typical(analyte, collected, random) : analyte switch
            {
                Analyte.Mrd => (decimal)Math.Round(random.NextDouble() * random.NextDouble() * 0.5, 4),
                Analyte.IgG => random.Next(150, 900),
                Analyte.Cd4Abs or Analyte.Cd19Abs => random.Next(0, 600),
                Analyte.Cd4Pct or Analyte.Cd19Pct => (decimal)Math.Round(random.NextDouble() * 30, 1),
                Analyte.Hgb => (decimal)Math.Round(6 + (random.NextDouble() * 9), 1),
                Analyte.Plt => random.Next(5, 350),
                _ => (decimal)Math.Round(random.NextDouble() * 8, 2),
            };
            var info = AnalyteCatalog.Get(analyte);
            var censored = profile == HistoryProfile.Typical && analyte == Analyte.Mrd && collected >= 0;
            yield return new LabResult
            {
                ResultId = ResultIds.ForResult(patientId, analyte, at),
                PatientId = patientId,
                Analyte = analyte,
                Loinc = info.Loinc,
                Value = value,
                Comparator = censored ? "<" : null,
                Unit = info.CanonicalUnit,
                OriginalValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                OriginalUnit = info.CanonicalUnit,
                CollectedAt = at,
                Status = ResultStatus.Final,
                SourceFile = "bench.csv",
                Sensitivity = analyte == Analyte.Mrd ? 0.0001m : null,
            };
        }
    }

    /// <summary>Days from a week before infusion to <see cref="AsOf"/> (the span every history covers).</summary>
    private const double FollowedDays = 857;

    /// <summary>Every analyte in turn, evenly spaced from day −7 over the whole span.</summary>
    private static IEnumerable<(Analyte Analyte, double Day)> EvenCollections(int count)
    {
        var analytes = Enum.GetValues<Analyte>();
        return Enumerable.Range(0, count).Select(i => (analytes[i % analytes.Length], -7 + (i * (FollowedDays + 7) / count)));
    }

    /// <summary>
    /// A follow-up as clinics run it: a full baseline panel on day −7, every timepoint of the default follow-up schedule
    /// taken in its window (so a typical history raises no <c>monitoring.overdue</c>), and the rest of the results as routine
    /// visits evenly spaced between them. A history shorter than the schedule keeps its earliest collections.
    /// </summary>
    private static IEnumerable<(Analyte Analyte, double Day)> TypicalCollections(int count)
    {
        var scheduled = new List<(Analyte, double)>();
        scheduled.AddRange(Enum.GetValues<Analyte>().Select(a => (a, -7d)));
        foreach (var check in new MonitoringOverdueOptions().EffectiveSchedule.Where(c => c.AppliesTo("brexu-cel")))
        {
            foreach (var day in check.Days.Where(d => d <= FollowedDays))
            {
                foreach (var key in check.Analytes)
                {
                    if (AnalyteCatalog.TryResolve(key, out var info) && !scheduled.Contains((info.Analyte, day)))
                    {
                        scheduled.Add((info.Analyte, day));
                    }
                }
            }
        }

        var analytes = Enum.GetValues<Analyte>();
        var routine = Math.Max(0, count - scheduled.Count);
        var all = scheduled.Concat(Enumerable.Range(0, routine)
            .Select(i => (analytes[i % analytes.Length], 0.5 + (i * (FollowedDays - 1) / routine))));
        return all.OrderBy(c => c.Item2).ThenBy(c => c.Item1).Take(count).ToList();
    }

    /// <summary>
    /// Reference-like course: MRD 0.7 % at baseline then negative (below 10⁻⁴) after infusion; cytopenia to day +14; IgG low for the first 40 %; CD4 above
    /// 300/µL and B cells back after 60–70 % of the timeline; otherwise normal values with noise.
    /// </summary>
    private static decimal Typical(Analyte analyte, double day, Random random)
    {
        var progress = day / FollowedDays;
        double Noise(double centre, double spread) => centre + ((random.NextDouble() - 0.5) * 2 * spread);
        var early = day < 14; // the cytopenic first two weeks
        var value = analyte switch
        {
            Analyte.Mrd => day < 0 ? 0.7 : 0.01,
            Analyte.IgG => progress < 0.4 ? Noise(250, 30) : Noise(600, 100),
            Analyte.Cd4Abs => progress < 0.6 ? Noise(150, 60) : Noise(450, 80),
            Analyte.Cd4Pct => Noise(25, 5),
            Analyte.Cd19Abs => progress < 0.7 ? Noise(5, 4) : Noise(150, 50),
            Analyte.Cd19Pct => progress < 0.7 ? Noise(0.3, 0.2) : Noise(8, 3),
            Analyte.Anc => early ? 0.2 : Noise(3.5, 1.5),
            Analyte.Plt => early ? 30 : Noise(220, 60),
            Analyte.Hgb => early ? 8.5 : Noise(12.5, 1.5),
            Analyte.Wbc => Noise(6, 2),
            _ => Noise(1.8, 0.6),
        };
        return (decimal)Math.Round(Math.Max(0, value), 2);
    }
}
