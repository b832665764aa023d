using System.Diagnostics;
using System.Text.Json;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CarTLabPipeline.LocalHost.Tests.Browser;

/// <summary>
/// The clinician workspace in a real browser: Debian's Chromium (<c>/usr/bin/chromium</c>, installed by ./test.sh through
/// eng/ensure-chromium.sh) driven by playwright-core from npm (workspace.mjs), against <c>cartlab serve</c> over its own
/// Azurite and MailDev on free ports, with the sample patients. The escalation runs on a fake clock. Screenshots land in
/// the test output (<c>workspace-screenshots/</c>); eng/refresh-screenshots.sh copies them to docs/images.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkspaceBrowserTests(CartlabFixture services, ITestOutputHelper output) : IClassFixture<CartlabFixture>
{
    /// <summary>Where the screenshots go: beside the test assembly.</summary>
    public static string Screenshots => Path.Combine(AppContext.BaseDirectory, "workspace-screenshots");

    private static readonly string s_repo = RepositoryPaths.Root;

    [Fact]
    public async Task Workspace_EmailLinkOpensAlert_ChartDrawn_Acknowledged_CriticalEscalatedExactlyOnce()
    {
        var wall = Stopwatch.StartNew();
        var chromium = Environment.GetEnvironmentVariable("CARTLAB_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: run eng/ensure-chromium.sh (./test.sh does)");
        // The workspace listens on a free port, and the emails link to it: the script opens the link as mailed.
        var port = LocalNodeService.FreePorts(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?>(services.Settings) { ["Http:Port"] = port, ["Email:PublicBaseUrl"] = $"http://127.0.0.1:{port}" };

        // The sample patients and every sample lab file, as the demo loads them: alerts raised and mailed.
        await Run(settings, "enroll", Path.Combine(s_repo, "samples", "patients", "PT-0001.json"), Path.Combine(s_repo, "samples", "patients", "PT-0002.json"));
        await Run(settings, "process", Path.Combine(s_repo, "samples", "lab-files"));

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var session = await CartlabSession.StartAsync(new SessionOptions
        {
            Storage = services.ConnectionString,
            Triggers = TriggerMode.All,
            Settings = settings,
            ConfigureServices = s => s.AddSingleton<TimeProvider>(clock),
        }, default);
        await using var http = await LocalHttpApi.StartAsync(session, default);
        var alerts = session.Services.GetRequiredService<AlertQueryService>();
        // PT-0002's relapse: the first critical alert (MRD re-emergence after negativity, day +120).
        var critical = (await alerts.ListAsync(AlertStatus.Open, default)).Where(a => a.Severity == AlertSeverity.Critical).MinBy(a => a.ObservedAt)!;
        Assert.Equal(("PT-0002", "mrd.positive-conversion"), (critical.PatientId, critical.RuleId));

        // Nobody acknowledged it past Escalation__After (2 h): on-call gets it again, once, however often the pass runs.
        var escalation = session.Services.GetRequiredService<EscalationService>();
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var due = (await alerts.ListAsync(AlertStatus.Open, default)).Count(a => a.Severity == AlertSeverity.Critical);
        var passes = await escalation.RunAsync(default) + await escalation.RunAsync(default);
        Assert.Equal(1, Assert.Single(await EscalationMailsAsync(critical.AlertId, expected: 1)));
        // The session's own timer fires on the clock's advance and races these passes: between them, each critical alert
        // due is escalated once (PT-0002 has two), so these passes did 0 to all of them — and a further pass none.
        Assert.InRange(passes, 0, due);
        Assert.Equal(0, await escalation.RunAsync(default));

        var browser = Stopwatch.StartNew();
        var (code, stdout, stderr) = await NodeAsync(Path.Combine(s_repo, "tests", "CarTLabPipeline.LocalHost.Tests", "Browser", "workspace.mjs"), new()
        {
            ["WORKSPACE_URL"] = http.Address.ToString(),
            ["MAILDEV_URL"] = services.Inbox.ToString(),
            ["ALERT_ID"] = critical.AlertId,
            ["SHOTS"] = Screenshots,
            ["CHROMIUM"] = chromium,
        });
        output.WriteLine($"browser script: exit {code} in {browser.Elapsed.TotalSeconds:0.0} s\n{stdout}\n{stderr}");
        Assert.True(code == 0, stdout + stderr);
        Assert.True(JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("ok").GetBoolean());

        // Acknowledged in the browser: no further escalation of it, however much later (PT-0002's other critical alert, still
        // open, is escalated again every Escalation__Repeat).
        clock.Advance(TimeSpan.FromHours(5));
        await escalation.RunAsync(default);
        var acked = Assert.Single(await alerts.ListAsync(AlertStatus.Acknowledged, default), a => a.AlertId == critical.AlertId);
        Assert.Equal(Http.HttpApiOptions.DefaultDevelopmentUser, acked.AcknowledgedBy);
        Assert.Single(acked.Escalations);
        Assert.Equal(1, Assert.Single(await EscalationMailsAsync(critical.AlertId, expected: 1)));
        foreach (var shot in new[] { "inbox", "alert", "patient", "patient-reference" }.SelectMany(p => new[] { $"{p}-desktop.png", $"{p}-phone.png" }))
        {
            Assert.True(new FileInfo(Path.Combine(Screenshots, shot)).Length > 10_000, $"screenshot {shot} missing or empty");
        }

        // ./test.sh prints this line: the browser test's wall time, data loading included.
        var figure = $"workspace browser test: {wall.Elapsed.TotalSeconds:0.0} s wall ({browser.Elapsed.TotalSeconds:0.0} s in the browser)";
        output.WriteLine(figure);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "workspace-browser-figures.txt"), figure + Environment.NewLine);
    }

    /// <summary>The number of escalation mails per on-call recipient for the alert, once MailDev has <paramref name="expected"/> of them (or after 20 s).</summary>
    private async Task<IReadOnlyList<int>> EscalationMailsAsync(string alertId, int expected)
    {
        using var client = new HttpClient { BaseAddress = services.Inbox };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var mails = JsonDocument.Parse(await client.GetStringAsync("api/email")).RootElement.EnumerateArray()
                .Where(m => m.GetProperty("subject").GetString()!.Contains("escalated", StringComparison.Ordinal)
                    && m.GetProperty("html").GetString()!.Contains($"/app/alerts/{alertId}", StringComparison.Ordinal))
                .SelectMany(m => m.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!))
                .GroupBy(a => a, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            if (mails.Values.Sum() >= expected || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Equal(["haematology.oncall@hospital.example"], mails.Keys);
                return [.. mails.Values];
            }

            await Task.Delay(200);
        }
    }

    private async Task Run(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var stderr = new StringWriter();
        var code = await Program.BuildCommand(new StringWriter(), stderr, settings).Parse([.. args, "--storage", services.ConnectionString]).InvokeAsync();
        Assert.True(code == 0, $"cartlab {string.Join(' ', args)} → exit {code}\n{stderr}");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> NodeAsync(string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = s_repo };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: on a loaded CI machine (five test assemblies at once on two cores) Chromium is slow to start. The
        // script reports its progress on stderr, so a run stopped here still says where it was.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return (-1, await stdout, $"{await stderr}\nstopped: the browser script did not finish within 5 minutes");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
