using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Benchmarks;

/// <summary>
/// A synthetic clinic: patients seen on staggered visit days over 12 months, each visit a panel of every analyte
/// (≈ 11 results), so a patient has ≈ <c>perPatient</c> results. Every lab day's visits are split into three files, one
/// per format (CSV, HL7 v2, FHIR), as several LIS exports a day would be.
/// </summary>
public sealed class Cohort
{
    private Cohort(List<LabResult> results, List<(DateOnly Day, int Format, List<LabResult> Results)> files)
    {
        Results = results;
        FileContents = files;
    }

    public IReadOnlyList<LabResult> Results { get; }

    private List<(DateOnly Day, int Format, List<LabResult> Results)> FileContents { get; }

    public static Cohort Build(int patients, int perPatient)
    {
        var analytes = Enum.GetValues<Analyte>();
        var visits = Math.Max(1, perPatient / analytes.Length);
        var start = new DateTimeOffset(2024, 9, 2, 8, 0, 0, TimeSpan.FromHours(2));
        var all = new List<LabResult>(patients * visits * analytes.Length);
        for (var p = 0; p < patients; p++)
        {
            var id = $"C{p:D5}";
            var random = new Random(p);
            for (var v = 0; v < visits; v++)
            {
                // Visits every ~20 days, staggered by patient so every lab day sees a share of the clinic.
                var collected = start.AddDays((v * 365.0 / visits) + (p % 20)).AddMinutes(p % 60);
                foreach (var analyte in analytes)
                {
                    var progress = (double)v / visits;
                    var value = Value(analyte, progress, random);
                    var info = AnalyteCatalog.Get(analyte);
                    all.Add(new LabResult
                    {
                        ResultId = ResultIds.ForResult(id, analyte, collected),
                        PatientId = id,
                        Analyte = analyte,
                        Loinc = info.Loinc,
                        Value = value,
                        Unit = info.CanonicalUnit,
                        OriginalValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        OriginalUnit = info.CanonicalUnit,
                        CollectedAt = collected,
                        Status = ResultStatus.Final,
                        SourceFile = "synthetic",
                    });
                }
            }
        }

        var files = all.GroupBy(r => DateOnly.FromDateTime(r.CollectedAt.Date))
            .OrderBy(g => g.Key)
            .SelectMany(day => day.GroupBy(r => r.PatientId).Select((g, i) => (g, i)).GroupBy(x => x.i % 3)
                .Select(f => (day.Key, f.Key, f.SelectMany(x => x.g).ToList())))
            .ToList();
        return new Cohort(all, files);
    }

    /// <summary>Writes the lab-day files under <paramref name="folder"/>; returns (blob name, path) pairs.</summary>
    public IReadOnlyList<(string Blob, string Path)> Files(string folder)
    {
        var list = new List<(string, string)>();
        foreach (var (day, format, results) in FileContents)
        {
            var extension = format switch { 0 => "csv", 1 => "hl7", _ => "json" };
            var name = $"cohort/{day:yyyy-MM-dd}_{format}.{extension}";
            var path = Path.Combine(folder, name.Replace('/', '_'));
            var content = format switch { 0 => SyntheticFiles.Csv(results), 1 => SyntheticFiles.Hl7(results), _ => SyntheticFiles.Fhir(results) };
            File.WriteAllBytes(path, content);
            list.Add((name, path));
        }

        return list;
    }

    private static decimal Value(Analyte analyte, double progress, Random random)
    {
        double Noise(double v, double spread) => v * (1 + ((random.NextDouble() - 0.5) * spread));
        var v = analyte switch
        {
            Analyte.Mrd => progress < 0.1 ? Noise(0.5, 0.5) : 0.005 * random.NextDouble(),
            Analyte.IgG => Noise(progress < 0.4 ? 260 : 520, 0.3),
            Analyte.Cd4Abs => Noise(100 + (400 * progress), 0.3),
            Analyte.Cd4Pct => Noise(10 + (25 * progress), 0.3),
            Analyte.Cd19Abs => progress < 0.5 ? 0 : Noise(60, 0.5),
            Analyte.Cd19Pct => progress < 0.5 ? 0 : Noise(4, 0.5),
            Analyte.Wbc => Noise(5, 0.4),
            Analyte.Anc => Noise(progress < 0.05 ? 0.4 : 3, 0.4),
            Analyte.Alc => Noise(1.2, 0.4),
            Analyte.Hgb => Noise(progress < 0.05 ? 7.5 : 12, 0.15),
            _ => Noise(progress < 0.05 ? 20 : 180, 0.3),
        };
        return Math.Round((decimal)Math.Max(0, v), analyte is Analyte.Mrd ? 4 : 1);
    }
}
