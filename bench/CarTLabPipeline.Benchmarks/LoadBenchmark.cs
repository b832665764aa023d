using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Benchmarks;

/// <summary>
/// The end-to-end load run (issue 7): the real pipeline, hosted as <c>cartlab</c> hosts it (WebJobs queue triggers over a
/// real Azurite), fed a synthetic cohort of lab-day files in three formats and one large CSV, dropped at once. Measures
/// results/s, drop→alert-stored and drop→notified latency, storage requests per 1,000 results and the peak working set;
/// then the limit: the fastest batched insert of the same entities straight into the table, in the same run.
/// The bounded-memory runs (100 MB CSV, 50 MB HL7) each run in a child process of their own, so their peak is theirs.
/// </summary>
public static class LoadBenchmark
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var patients = Option(args, "--patients", 100);
        var perPatient = Option(args, "--results-per-patient", 200);
        var bigCsv = Option(args, "--big-csv", 100_000);
        var memoryCsvMb = Option(args, "--memory-csv-mb", 100);
        var memoryHl7Mb = Option(args, "--memory-hl7-mb", 50);
        var work = Directory.CreateTempSubdirectory("cartlab-load-").FullName;
        var report = new List<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            Console.WriteLine($"Load run: {patients} patients × {perPatient} results in lab-day files (CSV/HL7/FHIR) + one {bigCsv:N0}-result CSV; memory runs {memoryCsvMb} MB CSV, {memoryHl7Mb} MB HL7");
            var memory = new List<MemoryFigure>();
            if (memoryCsvMb > 0)
            {
                memory.Add(await MemoryRunAsync("csv", memoryCsvMb, work));
            }

            if (memoryHl7Mb > 0)
            {
                memory.Add(await MemoryRunAsync("hl7", memoryHl7Mb, work));
            }

            var cohort = Cohort.Build(patients, perPatient);
            var big = SyntheticFiles.Results(bigCsv).Select(r => r with { PatientId = "B" + r.PatientId }).ToList();
            var pipeline = await PipelineRunAsync(cohort, big, work);
            var limitCohort = await LimitRunAsync(cohort.Results);
            var limitBig = await LimitRunAsync(big);

            Print(pipeline, limitCohort, limitBig, memory, clock.Elapsed);
            var json = JsonSerializer.Serialize(new { pipeline, limitCohort, limitBig, memory, elapsedSeconds = clock.Elapsed.TotalSeconds }, new JsonSerializerOptions { WriteIndented = true });
            Directory.CreateDirectory("BenchmarkDotNet.Artifacts");
            await File.WriteAllTextAsync(Path.Combine("BenchmarkDotNet.Artifacts", "load-results.json"), json);
            Console.WriteLine($"Figures also in {Path.GetFullPath(Path.Combine("BenchmarkDotNet.Artifacts", "load-results.json"))}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Child-process mode: ingest one big file and report the peak working set (JSON on stdout).</summary>
    public static async Task<int> MemoryChildAsync(string format, string path)
    {
        var ports = LocalNodeService.FreePorts(3);
        await using var azurite = await Azurite.StartAsync(ports[0], ports[1], ports[2], location: null, CancellationToken.None);
        await using var session = await CartlabSession.StartAsync(new SessionOptions
        {
            Storage = Azurite.ConnectionString(ports[0], ports[1], ports[2]),
            Settings = new Dictionary<string, string?> { ["Email:Provider"] = "None", ["Rules:UnknownPatient:Enabled"] = "false" },
            WithoutEmail = true,
        }, CancellationToken.None);
        var files = session.Services.GetRequiredService<ILabFileStore>();
        var watch = Stopwatch.StartNew();
        ILabFileSource source;
        await using (var content = File.OpenRead(path))
        {
            source = await files.UploadAsync($"memory/{Path.GetFileName(path)}", content, CancellationToken.None);
        }

        var ingested = await session.Services.GetRequiredService<LabFileIngestionService>().IngestAsync(source, CancellationToken.None);
        var elapsed = watch.Elapsed;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new MemoryFigure(format, new FileInfo(path).Length, ingested.Stored, ingested.Rejected, elapsed.TotalSeconds,
            process.PeakWorkingSet64)));
        return ingested.Stored > 0 ? 0 : 1;
    }

    private static async Task<MemoryFigure> MemoryRunAsync(string format, int megabytes, string work)
    {
        var path = Path.Combine(work, $"memory.{format}");
        int results;
        await using (var file = File.Create(path))
        {
            // Streamed to disk until the size is reached: the parent never holds the file either.
            var stream = SyntheticFiles.Results(int.MaxValue).Select(r => r with { PatientId = "M" + r.PatientId });
            var bytes = megabytes * 1_000_000L;
            results = format == "csv" ? SyntheticFiles.WriteCsv(file, stream, bytes, wide: true) : SyntheticFiles.WriteHl7(file, stream, bytes);
        }

        Console.WriteLine($"memory run: {format} {new FileInfo(path).Length / 1e6:0.0} MB ({results:N0} results) in a child process…");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(LoadBenchmark).Assembly.Location, "--memory-child", format, path })
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        return JsonSerializer.Deserialize<MemoryFigure>(line)!;
    }

    private static async Task<PipelineFigure> PipelineRunAsync(Cohort cohort, List<LabResult> big, string work)
    {
        var ports = LocalNodeService.FreePorts(3);
        await using var azurite = await Azurite.StartAsync(ports[0], ports[1], ports[2], location: null, CancellationToken.None);
        var counter = new StorageRequestCounter(ports[0], ports[1], ports[2]);
        await using var session = await CartlabSession.StartAsync(new SessionOptions
        {
            Storage = Azurite.ConnectionString(ports[0], ports[1], ports[2]),
            Triggers = TriggerMode.Queues,
            LogLevel = Environment.GetEnvironmentVariable("CARTLAB_BENCH_LOG") == "1" ? LogLevel.Information : LogLevel.Error,
            Settings = new Dictionary<string, string?> { ["Email:Provider"] = "None" },
            WithoutEmail = true,
            ConfigureServices = s => s.AddSingleton(new HttpPipelinePolicyHolder(counter)),
        }, CancellationToken.None);
        var services = session.Services;

        // Setup (not measured): enroll every patient and let the enrollment evaluations finish.
        var enrollment = services.GetRequiredService<EnrollmentService>();
        var ids = cohort.Results.Select(r => r.PatientId).Concat(big.Select(r => r.PatientId)).Distinct().ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
            await enrollment.EnrollAsync(SyntheticCohort.Enrollment(id) with { EnrolledAt = null }, ct));
        await session.WaitUntilIdleAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Console.WriteLine($"setup: {ids.Count:N0} patients enrolled");

        var cohortPhase = await PhaseAsync("cohort", session, counter, cohort.Files(work));
        var bigPath = Path.Combine(work, "big.csv");
        await using (var file = File.Create(bigPath))
        {
            SyntheticFiles.WriteCsv(file, big);
        }

        var bigPhase = await PhaseAsync("big-csv", session, counter, [("big/100k.csv", bigPath)]);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new PipelineFigure(cohortPhase, bigPhase, process.PeakWorkingSet64);
    }

    private static async Task<PhaseFigure> PhaseAsync(string name, CartlabSession session, StorageRequestCounter counter, IReadOnlyList<(string Blob, string Path)> files)
    {
        var services = session.Services;
        var store = services.GetRequiredService<ILabFileStore>();
        var ingestion = services.GetRequiredService<LabFileIngestionService>();
        var alertsBefore = await AlertIdsAsync(services);
        counter.Reset();
        var dropped = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var reports = new List<IngestionReport>();
        var watch = Stopwatch.StartNew();

        // Dropped at once: every file uploaded and ingested as blob-trigger invocations would, several at a time.
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (f, ct) =>
        {
            var at = TimeProvider.System.GetUtcNow();
            ILabFileSource source;
            await using (var content = File.OpenRead(f.Path))
            {
                source = await store.UploadAsync(f.Blob, content, ct);
            }

            var report = await ingestion.IngestAsync(source, ct);
            lock (reports)
            {
                dropped[f.Blob] = at;
                reports.Add(report);
            }
        });
        var ingested = watch.Elapsed;
        await session.WaitUntilIdleAsync(TimeSpan.FromMinutes(10), CancellationToken.None);
        var idle = watch.Elapsed - TimeSpan.FromMilliseconds(600); // WaitUntilIdle needs 3 quiet checks 200 ms apart
        var requests = counter.Snapshot();

        // Latency: each new alert against the drop time of the file that carried its triggering result.
        var stored = new List<double>();
        var notified = new List<double>();
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var alerts = services.GetRequiredService<IAlertStore>();
        var results = services.GetRequiredService<ILabResultStore>();
        await foreach (var row in alerts.ListAsync(CancellationToken.None))
        {
            if (alertsBefore.Contains(row.Alert.AlertId) || row.Alert.Evidence.Count == 0)
            {
                continue;
            }

            var trigger = row.Alert.Evidence.Last(e => e.Role == EvidenceRoles.Trigger);
            if (!fileOf.TryGetValue(trigger.ResultId, out var file))
            {
                foreach (var r in (await results.GetVersionsAsync(row.Alert.PatientId, int.MaxValue, CancellationToken.None)).Versions)
                {
                    fileOf[r.ResultId] = r.SourceFile;
                }

                file = fileOf.GetValueOrDefault(trigger.ResultId);
            }

            if (file is null || !dropped.TryGetValue(file, out var at))
            {
                continue;
            }

            stored.Add((row.Alert.CreatedAt - at).TotalMilliseconds);
            if (row.Deliveries.Values.Where(d => d.Event == AlertEvents.Raised).Select(d => d.SentAt).Max() is { } sent)
            {
                notified.Add((sent - at).TotalMilliseconds);
            }
        }

        var storedCount = reports.Sum(r => r.Stored);
        var figure = new PhaseFigure(name, files.Count, storedCount, reports.Sum(r => r.Rejected), ingested.TotalSeconds, idle.TotalSeconds,
            storedCount / idle.TotalSeconds, stored.Count, Percentiles(stored), Percentiles(notified), requests.Values.Sum(),
            requests.Values.Sum() * 1000.0 / storedCount, requests.OrderByDescending(kv => kv.Value).ToDictionary());
        Console.WriteLine($"{name}: {figure.Files} files, {figure.ResultsStored:N0} results in {figure.SecondsToIdle:0.0} s → {figure.ResultsPerSecond:N0} results/s; " +
            $"{figure.Alerts} alerts; {figure.StorageRequests:N0} storage requests ({figure.RequestsPer1000Results:0.0} per 1,000 results)");
        return figure;
    }

    /// <summary>The limit: the same entities inserted straight into a fresh table by the store, 100 per batch, 8 patients at a time.</summary>
    private static async Task<LimitFigure> LimitRunAsync(IReadOnlyList<LabResult> entities)
    {
        var ports = LocalNodeService.FreePorts(3);
        await using var azurite = await Azurite.StartAsync(ports[0], ports[1], ports[2], location: null, CancellationToken.None);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.StorageConnection] = Azurite.ConnectionString(ports[0], ports[1], ports[2]) })
            .Build();
        await using var provider = new ServiceCollection().AddLogging().AddCarTLabPipeline(configuration).BuildServiceProvider();
        await provider.GetRequiredService<StorageProvisioner>().ProvisionAsync(CancellationToken.None);
        var store = provider.GetRequiredService<ILabResultStore>();
        var byPatient = entities.GroupBy(r => r.PatientId).Select(g => g.ToList()).ToList();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(byPatient, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (list, ct) =>
            await store.UpsertAsync(list[0].PatientId, list, ct));
        var seconds = watch.Elapsed.TotalSeconds;
        var figure = new LimitFigure(entities.Count, seconds, entities.Count / seconds);
        Console.WriteLine($"limit: {figure.Entities:N0} entities batched straight into the table in {figure.Seconds:0.0} s → {figure.EntitiesPerSecond:N0}/s");
        return figure;
    }

    private static void Print(PipelineFigure p, LimitFigure limitCohort, LimitFigure limitBig, List<MemoryFigure> memory, TimeSpan total)
    {
        Console.WriteLine();
        Console.WriteLine("| figure | cohort (lab-day files) | 100k-result CSV | target |");
        Console.WriteLine("|---|---:|---:|---|");
        Console.WriteLine($"| results stored | {p.Cohort.ResultsStored:N0} | {p.BigCsv.ResultsStored:N0} | |");
        Console.WriteLine($"| results/s, drop to idle (stored, evaluated, alerts published) | {p.Cohort.ResultsPerSecond:N0} | {p.BigCsv.ResultsPerSecond:N0} | |");
        Console.WriteLine($"| results/s, drop to stored (ingestion) | {p.Cohort.ResultsStored / p.Cohort.SecondsToIngest:N0} | {p.BigCsv.ResultsStored / p.BigCsv.SecondsToIngest:N0} | |");
        Console.WriteLine($"| limit: batched insert, same entities, entities/s | {limitCohort.EntitiesPerSecond:N0} | {limitBig.EntitiesPerSecond:N0} | |");
        Console.WriteLine($"| pipeline / limit, drop to idle | {p.Cohort.ResultsPerSecond / limitCohort.EntitiesPerSecond:P0} | {p.BigCsv.ResultsPerSecond / limitBig.EntitiesPerSecond:P0} | ≥ 80 % |");
        Console.WriteLine($"| pipeline / limit, drop to stored | {p.Cohort.ResultsStored / p.Cohort.SecondsToIngest / limitCohort.EntitiesPerSecond:P0} | {p.BigCsv.ResultsStored / p.BigCsv.SecondsToIngest / limitBig.EntitiesPerSecond:P0} | ≥ 80 % |");
        Console.WriteLine($"| storage requests per 1,000 results, all | {p.Cohort.RequestsPer1000Results:0.0} | {p.BigCsv.RequestsPer1000Results:0.0} | ≤ 20 |");
        Console.WriteLine($"| … of which storing and evaluating results (alert path excluded) | {ResultPath(p.Cohort):0.0} | {ResultPath(p.BigCsv):0.0} | ≤ 20 |");
        Console.WriteLine($"| … alert path, requests per alert | {AlertPath(p.Cohort):0.0} | {AlertPath(p.BigCsv):0.0} | |");
        Console.WriteLine($"| alerts raised | {p.Cohort.Alerts:N0} | {p.BigCsv.Alerts:N0} | |");
        Console.WriteLine($"| drop → alert stored p50 / p95 / max (s) | {Fmt(p.Cohort.DropToStoredMs)} | {Fmt(p.BigCsv.DropToStoredMs)} | p95 ≤ 2 s |");
        Console.WriteLine($"| drop → notified p50 / p95 / max (s) | {Fmt(p.Cohort.DropToNotifiedMs)} | {Fmt(p.BigCsv.DropToNotifiedMs)} | |");
        Console.WriteLine($"| peak working set of the host process (MB) | {p.PeakWorkingSetBytes / 1e6:0} (whole run) | | |");
        foreach (var m in memory)
        {
            Console.WriteLine($"| memory run {m.Format}: {m.FileBytes / 1e6:0} MB, {m.Stored:N0} results in {m.Seconds:0} s: peak working set (MB) | {m.PeakWorkingSetBytes / 1e6:0} | | ≤ 200 MB |");
        }

        Console.WriteLine();
        Console.WriteLine("Storage requests by kind (cohort phase):");
        foreach (var (kind, count) in p.Cohort.RequestsByKind.Take(14))
        {
            Console.WriteLine($"  {kind,-48} {count,8:N0}");
        }

        Console.WriteLine("Storage requests by kind (100k CSV phase):");
        foreach (var (kind, count) in p.BigCsv.RequestsByKind.Take(14))
        {
            Console.WriteLine($"  {kind,-48} {count,8:N0}");
        }

        Console.WriteLine($"Total run time {total.TotalMinutes:0.0} min.");
    }

    private static bool IsAlertPath(string kind) =>
        kind.Contains(" Alerts ", StringComparison.Ordinal) || kind.Contains("alert-notifications", StringComparison.Ordinal) || kind.Contains("lab-alerts", StringComparison.Ordinal);

    private static double ResultPath(PhaseFigure f) => f.RequestsByKind.Where(kv => !IsAlertPath(kv.Key)).Sum(kv => kv.Value) * 1000.0 / f.ResultsStored;

    private static double AlertPath(PhaseFigure f) => f.Alerts == 0 ? 0 : (double)f.RequestsByKind.Where(kv => IsAlertPath(kv.Key)).Sum(kv => kv.Value) / f.Alerts;

    private static string Fmt(double[] p) => p.Length == 0 ? "—" : string.Create(s_inv, $"{p[0] / 1000:0.00} / {p[1] / 1000:0.00} / {p[2] / 1000:0.00}");

    private static double[] Percentiles(List<double> values)
    {
        if (values.Count == 0)
        {
            return [];
        }

        values.Sort();
        double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
        return [At(0.50), At(0.95), values[^1]];
    }

    private static async Task<HashSet<string>> AlertIdsAsync(IServiceProvider services)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in services.GetRequiredService<IAlertStore>().ListAsync(CancellationToken.None))
        {
            ids.Add(row.Alert.AlertId);
        }

        return ids;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], s_inv) : fallback;
    }
}

public sealed record PhaseFigure(string Name, int Files, int ResultsStored, int Rejected, double SecondsToIngest, double SecondsToIdle, double ResultsPerSecond,
    int Alerts, double[] DropToStoredMs, double[] DropToNotifiedMs, long StorageRequests, double RequestsPer1000Results, Dictionary<string, long> RequestsByKind);

public sealed record PipelineFigure(PhaseFigure Cohort, PhaseFigure BigCsv, long PeakWorkingSetBytes);

public sealed record LimitFigure(int Entities, double Seconds, double EntitiesPerSecond);

public sealed record MemoryFigure(string Format, long FileBytes, int Stored, int Rejected, double Seconds, long PeakWorkingSetBytes);
