using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;

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
        var analytes = Enum.GetValues<Analyte>();
        var start = new DateTimeOffset(2024, 8, 20, 8, 0, 0, TimeSpan.FromHours(2));
        for (var i = 0; i < count; i++)
        {
            var analyte = analytes[i % analytes.Length];
            var collected = start.AddMinutes(i * (730d * 24 * 60 / count));
            var progress = (double)i / count;
            var value = profile == HistoryProfile.Typical ? Typical(analyte, progress, random) : analyte switch
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
            var censored = profile == HistoryProfile.Typical && analyte == Analyte.Mrd && progress > 0.02;
            yield return new LabResult
            {
                ResultId = ResultIds.ForResult(patientId, analyte, collected),
                PatientId = patientId,
                Analyte = analyte,
                Loinc = info.Loinc,
                Value = value,
                Comparator = censored ? "<" : null,
                Unit = info.CanonicalUnit,
                OriginalValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                OriginalUnit = info.CanonicalUnit,
                CollectedAt = collected,
                Status = ResultStatus.Final,
                SourceFile = "bench.csv",
                Sensitivity = analyte == Analyte.Mrd ? 0.0001m : null,
            };
        }
    }

    /// <summary>
    /// Reference-like course: MRD 0.7 % at baseline then negative; early cytopenia; IgG low for the first 40 %; CD4 above
    /// 300/µL and B cells back after 60–70 % of the timeline; otherwise normal values with noise.
    /// </summary>
    private static decimal Typical(Analyte analyte, double progress, Random random)
    {
        double Noise(double centre, double spread) => centre + ((random.NextDouble() - 0.5) * 2 * spread);
        var early = progress < 0.02;
        var value = analyte switch
        {
            Analyte.Mrd => early ? 0.7 : 0.01,
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
