using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Ingestion.Fhir;
using CarTLabPipeline.Ingestion.Hl7;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Benchmarks;

/// <summary>
/// The readers with the normaliser, as ingestion runs them (format detection, reading, unit conversion, ids), on a large
/// synthetic file of each format holding the same 100,000 results: MB/s and results/s.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Rates))]
public class ReaderBenchmarks
{
    public const int Results = 100_000;

    private static readonly Dictionary<LabFileFormat, long> s_sizes = [];

    /// <summary>The file's size; computed where the table is rendered (BenchmarkDotNet measures in a child process).</summary>
    private static long SizeOf(LabFileFormat format)
    {
        lock (s_sizes)
        {
            if (!s_sizes.TryGetValue(format, out var size))
            {
                s_sizes[format] = size = Generate(format).Length;
            }

            return size;
        }
    }

    public static byte[] Generate(LabFileFormat format) => format switch
    {
        LabFileFormat.Csv => SyntheticFiles.Csv(Results),
        LabFileFormat.Hl7v2 => SyntheticFiles.Hl7(Results),
        _ => SyntheticFiles.Fhir(Results),
    };
    private byte[] _file = [];
    private ILabFileReader _reader = null!;
    private ResultNormalizer _normalizer = null!;

    [Params(LabFileFormat.Csv, LabFileFormat.Hl7v2, LabFileFormat.FhirJson)]
    public LabFileFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new IngestionOptions());
        _file = Generate(Format);
        _reader = Format switch
        {
            LabFileFormat.Csv => new CsvLabReader(),
            LabFileFormat.Hl7v2 => new Hl7OruReader(options),
            _ => new FhirLabReader(options),
        };
        _normalizer = new ResultNormalizer(options, new FakeTimeProvider(SyntheticCohort.AsOf));
        if (ReadAll() != Results)
        {
            throw new InvalidOperationException($"{Format}: the synthetic file did not read back {Results} results");
        }
    }

    [Benchmark]
    public int ReadAndNormalise() => ReadAll();

    private int ReadAll()
    {
        var (_, content) = LabFileFormatDetector.Detect(new MemoryStream(_file, writable: false));
        var stored = 0;
        foreach (var item in _reader.Read(content, "bench/file", CancellationToken.None))
        {
            if (item.Result is { } raw && _normalizer.Normalize(raw, "bench/file").Result is not null)
            {
                stored++;
            }
        }

        return stored;
    }

    private sealed class Rates : ManualConfig
    {
        public Rates()
        {
            AddColumn(new Rate("MB/s", (format, seconds) => SizeOf(format) / 1e6 / seconds, "0.0"));
            AddColumn(new Rate("Results/s", (_, seconds) => Results / seconds, "N0"));
            AddColumn(new Rate("File MB", (format, _) => SizeOf(format) / 1e6, "0.0"));
        }
    }

    private sealed class Rate(string name, Func<LabFileFormat, double, double> compute, string format) : IColumn
    {
        public string Id => name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => name;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            summary[benchmarkCase]?.ResultStatistics is { } stats
                ? compute((LabFileFormat)benchmarkCase.Parameters["Format"], stats.Mean / 1e9).ToString(format, System.Globalization.CultureInfo.InvariantCulture)
                : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
