using System.CommandLine;
using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary>
/// <c>cartlab status [--json]</c>: queues, poison queues, the last file per lab, rejected and stuck files, deliveries that
/// failed or wait, escalations pending — and what of it needs a person. Exit code 0 when nothing does, 1 otherwise (for scripts and cron).
/// </summary>
internal sealed class StatusCommand(CliOutput output, PipelineStatusService pipeline)
{
    /// <summary>Lines of a list the text shows.</summary>
    private const int Listed = 10;

    private readonly TextWriter _stdout = output.Out;

    public static Command Define(CliContext cli)
    {
        var json = CliContext.Json("The status as one JSON object");
        var command = new Command("status", "Queues, poison queues, last file per lab, rejected files, failed deliveries; exit 1 when something needs a person") { json };
        command.SetAction((r, ct) => cli.RunAsync<StatusCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(json), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(bool json, CancellationToken ct)
    {
        var status = await pipeline.GetAsync(ct).ConfigureAwait(false);
        if (json)
        {
            await _stdout.WriteLineAsync(PipelineJson.Serialize(status)).ConfigureAwait(false);
        }
        else
        {
            Print(status);
        }

        return status.Healthy ? 0 : 1;
    }

    /// <summary>The first <see cref="Listed"/> lines of a list, and how many more there are (<c>--json</c> has them all).</summary>
    private void ListSome<T>(IReadOnlyList<T> items, Func<T, string> line)
    {
        foreach (var item in items.Take(Listed))
        {
            _stdout.WriteLine(line(item));
        }

        if (items.Count > Listed)
        {
            _stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {items.Count - Listed} more (cartlab status --json lists them all)"));
        }
    }

    private void Print(PipelineStatus s)
    {
        var c = CultureInfo.InvariantCulture;
        _stdout.WriteLine(string.Create(c, $"Pipeline status as of {s.AsOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC"));
        _stdout.WriteLine();
        _stdout.WriteLine("Queues                              depth  oldest        poison  newest poison reason");
        for (var i = 0; i < s.Queues.Count; i++)
        {
            var q = s.Queues[i];
            var p = s.Poison[i];
            var oldest = q.OldestEnqueuedAt is { } t ? Age(s.AsOf - t) : q.AllHeldBack ? "held back*" : "—";
            _stdout.WriteLine(string.Create(c, $"  {q.Queue,-32} {q.Depth,6}  {oldest,-12} {p.Depth,7}  {p.NewestReason ?? (p.Depth > 0 ? "(moved by the runtime: no reason)" : string.Empty)}"));
        }

        if (s.Queues.Any(q => q.AllHeldBack))
        {
            _stdout.WriteLine("  * every message is being processed or waits out a delay (a delivery's retry, a claim's lease): scheduled, not stuck");
        }

        _stdout.WriteLine();
        _stdout.WriteLine("Last file per lab");
        if (s.Labs.Count == 0)
        {
            _stdout.WriteLine("  (no file received yet)");
        }

        foreach (var lab in s.Labs)
        {
            _stdout.WriteLine(string.Create(c, $"  {lab.Lab,-20} {lab.LastReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({Age(s.AsOf - lab.LastReceivedAt)} ago)  {lab.LastFile}"));
        }

        _stdout.WriteLine();
        _stdout.WriteLine(string.Create(c, $"Rejected files, last 24 h: {s.RejectedLast24Hours.Count}"));
        ListSome(s.RejectedLast24Hours, r => string.Create(c, $"  {r.File}  {r.Status.ToString().ToLowerInvariant()}: {r.Stored} stored, {r.Rejected} rejected"));

        var failed = s.Deliveries.Count(d => d.Failed > 0);
        _stdout.WriteLine(string.Create(c, $"Alerts with failed deliveries: {failed}; with deliveries waiting: {s.Deliveries.Count(d => d.Waiting > 0)}"));
        ListSome(s.Deliveries.Where(d => d.Failed > 0).ToList(), d => string.Create(c, $"  {d.AlertId}  {d.RuleId}: {d.Failed} failed — {d.LastError ?? "no error recorded"}"));
        ListSome(s.Deliveries.Where(d => d.Failed == 0).ToList(), d => string.Create(c,
            $"  {d.AlertId}  {d.RuleId}: {d.Waiting} waiting{(d.OldestWaitingSince is { } since ? $" for {Age(s.AsOf - since)}" : string.Empty)} — {d.LastError ?? "no error recorded yet"}"));

        _stdout.WriteLine(string.Create(c, $"Escalations pending (critical alerts nobody acknowledged): {s.EscalationsPending.Count}"));
        ListSome(s.EscalationsPending, e =>
        {
            var when = e.DueAt > s.AsOf ? $"in {Age(e.DueAt - s.AsOf)}" : $"due {Age(s.AsOf - e.DueAt)} ago";
            return string.Create(c, $"  {e.AlertId}  {e.RuleId}: escalation {e.EscalationsSoFar + 1} to the on-call list {when}");
        });

        _stdout.WriteLine();
        if (s.Healthy)
        {
            _stdout.WriteLine("✓ Nothing needs attention.");
            return;
        }

        _stdout.WriteLine("Needs attention:");
        foreach (var line in s.NeedsAttention)
        {
            _stdout.WriteLine($"  ! {line}");
        }
    }

    private static string Age(TimeSpan span) => span.TotalMinutes < 1 ? "<1 min"
        : span.TotalHours < 2 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
        : span.TotalDays < 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0} d");
}
