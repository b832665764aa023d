using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Composition;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarTLabPipeline.Benchmarks;

/// <summary>
/// Rule evaluation of one patient's whole history with every rule, as <c>EvaluatePatient</c> runs it: results evaluated
/// per second against history length (issue target: ≥ 1 million results/s on one core).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ResultsPerSecondConfig))]
public class RuleEngineBenchmarks
{
    private RuleEngine _engine = null!;
    private Enrollment _enrollment = null!;
    private LabResult[] _history = [];

    [Params(100, 1_000, 10_000)]
    public int HistoryLength { get; set; }

    [Params(HistoryProfile.Typical, HistoryProfile.AlertDense)]
    public HistoryProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var provider = new ServiceCollection().AddCarTLabPipelineCore(new ConfigurationBuilder().Build()).BuildServiceProvider();
        _engine = provider.GetRequiredService<RuleEngine>();
        _enrollment = SyntheticCohort.Enrollment("PT-BENCH");
        _history = SyntheticCohort.History("PT-BENCH", HistoryLength, seed: 42, Profile).ToArray();
    }

    [Benchmark]
    public IReadOnlyList<Alert> EvaluateWholeHistory() => _engine.Evaluate(_enrollment, _history, SyntheticCohort.AsOf);

    private sealed class ResultsPerSecondConfig : ManualConfig
    {
        // The mean, and the best iteration: on a shared 2-core machine the minimum is the figure least moved by other work.
        public ResultsPerSecondConfig() => AddColumn(StatisticColumn.Min, new ResultsPerSecondColumn(best: false), new ResultsPerSecondColumn(best: true));
    }

    /// <summary>History length ÷ mean (or best) time: results evaluated per second.</summary>
    private sealed class ResultsPerSecondColumn(bool best) : IColumn
    {
        public string Id => best ? "ResultsPerSecondBest" : "ResultsPerSecond";

        public string ColumnName => best ? "Results/s (best)" : "Results/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => best ? "Results evaluated per second in the fastest iteration (history length / min)" : "Results evaluated per second (history length / mean)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats)
            {
                return "-";
            }

            var length = (int)benchmarkCase.Parameters["HistoryLength"];
            return (length / ((best ? stats.Min : stats.Mean) / 1e9)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
