using BenchmarkDotNet.Running;
using CarTLabPipeline.Benchmarks;
using CarTLabPipeline.Composition;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

if (args is ["--describe"])
{
    // How many alerts each synthetic history raises: what the rule-engine figures are made of.
    using var provider = new ServiceCollection().AddCarTLabPipelineCore(new ConfigurationBuilder().Build()).BuildServiceProvider();
    var engine = provider.GetRequiredService<RuleEngine>();
    foreach (var profile in Enum.GetValues<HistoryProfile>())
    {
        foreach (var length in new[] { 100, 1_000, 10_000 })
        {
            var alerts = engine.Evaluate(SyntheticCohort.Enrollment("PT-BENCH"), SyntheticCohort.History("PT-BENCH", length, 42, profile), SyntheticCohort.AsOf);
            Console.WriteLine($"{profile,-10} {length,6} results -> {alerts.Count,4} alerts ({string.Join(", ", alerts.GroupBy(a => a.RuleId).Select(g => $"{g.Key} {g.Count()}"))})");
        }
    }

    foreach (var format in new[] { CarTLabPipeline.Ingestion.LabFileFormat.Csv, CarTLabPipeline.Ingestion.LabFileFormat.Hl7v2, CarTLabPipeline.Ingestion.LabFileFormat.FhirJson })
    {
        Console.WriteLine($"{format,-10} synthetic file of {ReaderBenchmarks.Results:N0} results: {ReaderBenchmarks.Generate(format).Length / 1e6:0.0} MB");
    }

    return 0;
}

if (args is ["--load", ..])
{
    return await CarTLabPipeline.Benchmarks.LoadBenchmark.RunAsync(args);
}

if (args is ["--memory-child", var memoryFormat, var path])
{
    return await CarTLabPipeline.Benchmarks.LoadBenchmark.MemoryChildAsync(memoryFormat, path);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

public partial class Program;
