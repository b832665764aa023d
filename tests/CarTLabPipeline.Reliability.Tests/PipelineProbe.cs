using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CarTLabPipeline.Reliability.Tests;

/// <summary>What the pipeline holds at one moment: stored results, alerts by status, deliveries still to settle, files handled.</summary>
internal sealed record Snapshot(IReadOnlySet<string> Results, IReadOnlyDictionary<string, string> Alerts, int Unsettled, int HandledFiles)
{
    /// <summary>Deliveries not settled whose last attempt failed (waiting for their back-off).</summary>
    public int Deferred { get; init; }

    public IReadOnlySet<string> OpenAlerts => Alerts.Where(a => a.Value == "Open").Select(a => a.Key).ToHashSet(StringComparer.Ordinal);

    public bool SameAs(Snapshot other) =>
        Results.SetEquals(other.Results) && Alerts.Count == other.Alerts.Count && Alerts.All(a => other.Alerts.GetValueOrDefault(a.Key) == a.Value)
        && Unsettled == other.Unsettled && HandledFiles == other.HandledFiles;
}

/// <summary>
/// The test's view of one pipeline: enrolls and drops the cohort straight into storage (as a lab would), and reads what
/// the child <c>cartlab serve</c> did — through the same adapters, in this process, on the same Azurite and MailDev.
/// </summary>
internal sealed class PipelineProbe : IAsyncDisposable
{
    /// <summary>Consecutive unchanged polls that make "quiet" (two seconds).</summary>
    private const int QuietPolls = 2;

    /// <summary>
    /// A poll reads every result key, alert and ledger row: at 500 ms two probes kept Azurite busy beside the two hosts they
    /// watch (the suite shares two cores with four other test assemblies); 1 s halves that.
    /// </summary>
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromSeconds(1);

    private readonly CartlabSession _session;
    private readonly LocalServices _services;
    private readonly HttpClient _http;

    private PipelineProbe(CartlabSession session, LocalServices services)
    {
        _session = session;
        _services = services;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<PipelineProbe> StartAsync(LocalServices services)
    {
        var session = await CartlabSession.StartAsync(new SessionOptions
        {
            Storage = services.ConnectionString,
            // The probe sends no mail: a relay that is not loopback keeps the session from starting a MailDev of its own
            // (on the fixed web port) when ours answers slowly on a busy machine.
            Settings = new Dictionary<string, string?> { ["Smtp:Host"] = "relay.invalid" },
        }, CancellationToken.None);
        return new PipelineProbe(session, services);
    }

    private StorageClients Clients => _session.Services.GetRequiredService<StorageClients>();

    public async Task EnrollAsync(IEnumerable<string> enrollmentJson)
    {
        var enrollment = _session.Services.GetRequiredService<EnrollmentService>();
        foreach (var json in enrollmentJson)
        {
            await enrollment.EnrollAsync(EnrollmentService.Parse(json), CancellationToken.None);
        }
    }

    /// <summary>Uploads the files at once (in parallel), straight into the drop zone: only the triggers and the sweep see them.</summary>
    public async Task DropAsync(IEnumerable<(string Name, byte[] Content)> files)
    {
        var container = Clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.LabResults);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (file, ct) => await container.GetBlobClient(file.Name).UploadAsync(new BinaryData(file.Content), overwrite: true, ct));
    }

    public async Task<Snapshot> SnapshotAsync()
    {
        var results = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Clients.Tables.GetTableClient(PipelineNames.Tables.LabResults)
            .QueryAsync<TableEntity>(select: [nameof(TableEntity.PartitionKey), nameof(TableEntity.RowKey)]))
        {
            results.Add($"{row.PartitionKey}/{row.RowKey}");
        }

        var alerts = new Dictionary<string, string>(StringComparer.Ordinal);
        var unsettled = 0;
        var deferred = 0;
        await foreach (var row in _session.Services.GetRequiredService<IAlertStore>().ListAsync(CancellationToken.None))
        {
            alerts[row.Alert.AlertId] = row.Alert.Status.ToString();
            unsettled += row.Deliveries.Values.Count(d => !d.IsSettled);
            deferred += row.Deliveries.Values.Count(d => !d.IsSettled && d.LastError is not null);
        }

        var handled = await _session.Services.GetRequiredService<IFileLedger>().GetHandledBlobsAsync(CancellationToken.None);
        return new Snapshot(results, alerts, unsettled, handled.Count) { Deferred = deferred };
    }

    /// <summary>Polls until <paramref name="condition"/> holds (storage errors count as "not yet"); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilAsync(Func<Snapshot, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (condition(await SnapshotAsync()))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                // storage busy or away: ask again
            }

            await Task.Delay(s_pollInterval);
        }

        return false;
    }

    /// <summary>
    /// Waits until every dropped file is handled, every delivery settled, and nothing changed for two seconds; returns the
    /// final snapshot and how long it took. (Queue lengths are no guide: a killed host's messages stay invisible for minutes.)
    /// </summary>
    public async Task<(Snapshot Snapshot, TimeSpan Took)> WaitQuietAsync(int files, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Snapshot? last = null;
        var quiet = 0;
        while (true)
        {
            await Task.Delay(s_pollInterval);
            Snapshot now;
            try
            {
                now = await SnapshotAsync();
            }
            catch (Exception ex) when (clock.Elapsed < timeout && ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                quiet = 0;
                continue;
            }

            var done = now.HandledFiles >= files && now.Unsettled == 0 && now.Alerts.Count > 0;
            quiet = done && last is not null && now.SameAs(last) ? quiet + 1 : 0;
            last = now;
            if (quiet >= QuietPolls)
            {
                return (now, clock.Elapsed - (s_pollInterval * QuietPolls));
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not quiet after {timeout}: {now.HandledFiles}/{files} files handled, {now.Unsettled} deliveries unsettled, " +
                    $"{now.Results.Count} results, {now.Alerts.Count} alerts");
            }
        }
    }

    /// <summary>Waits until every delivery of every alert is settled (without reading the results: cheap on a large record).</summary>
    public async Task WaitSettledAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while ((await DeliveriesAsync()).Where(d => !d.Delivery.IsSettled).ToList() is { Count: > 0 } unsettled)
        {
            if (clock.Elapsed > timeout)
            {
                // Which, and where each stands: a failure message that says why (state, attempts, claim, back-off, last error).
                var now = DateTimeOffset.UtcNow;
                throw new TimeoutException($"deliveries not settled after {timeout} (now {now:HH:mm:ss.f}):\n" + string.Join('\n', unsettled.Select(d =>
                    $"  {d.AlertId} {d.Delivery.Key}: {d.Delivery.State}, {d.Delivery.Attempts} attempt(s), claimed {d.Delivery.ClaimedAt:HH:mm:ss.f}, " +
                    $"not before {d.Delivery.NotBefore:HH:mm:ss.f}, last error {d.Delivery.LastError ?? "none"}")));
            }

            await Task.Delay(s_pollInterval);
        }
    }

    /// <summary>Every delivery of every alert, with its alert id.</summary>
    public async Task<List<(string AlertId, Delivery Delivery)>> DeliveriesAsync()
    {
        var list = new List<(string, Delivery)>();
        await foreach (var row in _session.Services.GetRequiredService<IAlertStore>().ListAsync(CancellationToken.None))
        {
            list.AddRange(row.Deliveries.Values.Select(d => (row.Alert.AlertId, d)));
        }

        return list;
    }

    /// <summary>Every email MailDev received: its Message-ID and recipients.</summary>
    public async Task<List<(string MessageId, string To)>> EmailsAsync()
    {
        // MailDev's web port as it is now: a restart after the SMTP outage takes a fresh one.
        var mails = await _http.GetFromJsonAsync<JsonElement>(new Uri(_services.MailDevApi, "api/email"));
        var list = new List<(string, string)>();
        foreach (var mail in mails.EnumerateArray())
        {
            var id = mail.TryGetProperty("messageId", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()!
                : mail.GetProperty("headers").GetProperty("message-id").GetString()!;
            var to = string.Join(",", mail.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()).Order(StringComparer.Ordinal));
            list.Add((id.Trim('<', '>'), to));
        }

        return list;
    }

    /// <summary>The <c>messageId</c> of every message on the <c>lab-alerts</c> queue (received, so each is read once).</summary>
    public async Task<List<string>> LabAlertMessageIdsAsync()
    {
        var queue = Clients.Queues.GetQueueClient(PipelineNames.Queues.LabAlerts);
        var ids = new List<string>();
        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value;
            if (batch.Length == 0)
            {
                return ids;
            }

            ids.AddRange(batch.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("messageId").GetString()!));
        }
    }

    /// <summary>Messages on each poison queue (the runtime's <c>-poison</c> queues).</summary>
    public async Task<Dictionary<string, int>> PoisonCountsAsync()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var queue in new[] { PipelineNames.Queues.LabResultsInbound, PipelineNames.Queues.PatientEvaluations, PipelineNames.Queues.AlertNotifications })
        {
            var poison = Clients.Queues.GetQueueClient(queue + PipelineNames.Queues.PoisonSuffix);
            counts[poison.Name] = await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(32)).Value.Length : 0;
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _session.DisposeAsync();
    }
}

/// <summary>The samples of the repository, copied for <c>copies</c> groups of patients (ids renamed), as one burst of files.</summary>
internal static class Cohort
{
    public static IReadOnlyList<string> Enrollments(int copies) =>
        [.. Enumerable.Range(1, copies).SelectMany(c => Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "samples", "patients"), "*.json")
            .Order(StringComparer.Ordinal).Select(f => Rename(File.ReadAllText(f), c)))];

    public static IReadOnlyList<(string Name, byte[] Content)> Files(int copies)
    {
        var root = Path.Combine(RepositoryPaths.Root, "samples", "lab-files");
        return [.. Enumerable.Range(1, copies).SelectMany(c => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => ($"rel-{c}/{Path.GetRelativePath(root, f).Replace('\\', '/')}", System.Text.Encoding.UTF8.GetBytes(Rename(File.ReadAllText(f), c)))))];
    }

    /// <summary>PT-0001 → PT-c001: each copy is its own patients, with identical histories.</summary>
    private static string Rename(string text, int copy) =>
        text.Replace("PT-0001", $"PT-{copy}001", StringComparison.Ordinal).Replace("PT-0002", $"PT-{copy}002", StringComparison.Ordinal);
}
