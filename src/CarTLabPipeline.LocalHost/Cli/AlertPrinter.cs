using System.Text.Json;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>How alerts look in a terminal (and as JSON Lines with <c>--json</c>, one docs/design.md §5 object per line).</summary>
internal static class AlertPrinter
{
    public static void Print(TextWriter output, IReadOnlyList<Alert> alerts, bool json)
    {
        if (json)
        {
            foreach (var alert in alerts)
            {
                output.WriteLine(PipelineJson.Serialize(alert));
            }

            return;
        }

        if (alerts.Count == 0)
        {
            output.WriteLine("No alerts.");
            return;
        }

        foreach (var alert in alerts)
        {
            var status = alert.Status == AlertStatus.Open ? string.Empty : $"  [{alert.Status.ToString().ToLowerInvariant()}]";
            // An ops alert (feed silence, poison message, failed delivery) has no day since infusion: no "day +0".
            var day = alert.Audience == AlertAudience.Ops ? "for ops" : $"day {ClinicalText.Day(alert.DayPostInfusion)}";
            output.WriteLine($"{alert.PatientId}  {day,-9} {Severity(alert.Severity),-8} {alert.RuleId,-28} {alert.Title}{status}");
            output.WriteLine($"    {alert.Summary}");
            output.WriteLine($"    → {alert.SuggestedAction}");
            if (alert.RetractionReason is not null && alert.Status == AlertStatus.Retracted)
            {
                output.WriteLine($"    retracted: {alert.RetractionReason}");
            }
            else if (alert.Revision > 1 && alert.Change is not null)
            {
                output.WriteLine($"    updated (revision {alert.Revision}): {alert.Change}");
            }

            output.WriteLine($"    alert {alert.AlertId}");
            output.WriteLine();
        }
    }

    /// <summary>
    /// Stored alerts as <see cref="Print"/> does; with <paramref name="json"/> each line also carries the alert's
    /// <c>deliveries</c> (the ledger on its row): per channel, event and recipient the state, attempts, last error and when
    /// it was sent.
    /// </summary>
    public static void PrintStored(TextWriter output, IEnumerable<StoredAlert> rows, bool json)
    {
        var ordered = rows.OrderBy(r => r.Alert.PatientId, StringComparer.Ordinal).ThenBy(r => r.Alert.ObservedAt.UtcTicks)
            .ThenBy(r => r.Alert.RuleId, StringComparer.Ordinal).ToList();
        if (!json)
        {
            Print(output, [.. ordered.Select(r => r.Alert)], json: false);
            return;
        }

        foreach (var row in ordered)
        {
            var line = JsonSerializer.SerializeToNode(row.Alert, PipelineJson.Options)!.AsObject();
            line["deliveries"] = JsonSerializer.SerializeToNode(row.Deliveries.Values.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new
            {
                d.Channel,
                d.Event,
                d.Revision,
                d.Recipient,
                d.State,
                d.Attempts,
                d.LastError,
                d.SentAt,
            }), PipelineJson.Options);
            output.WriteLine(line.ToJsonString(PipelineJson.Options));
        }
    }

    /// <summary>
    /// One line on <paramref name="output"/> for each patient not evaluated because the record is over
    /// <paramref name="limit"/> (its <c>evaluation.record-too-large</c> alert), whether this run or an earlier one found it.
    /// </summary>
    public static void PrintNotEvaluated(TextWriter output, IEnumerable<Alert> notEvaluated, int limit)
    {
        foreach (var alert in notEvaluated)
        {
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"   ! {alert.PatientId} not evaluated: more than {limit:N0} results on record ({EvaluationOptions.MaxRecordVersionsSetting}); ") +
                $"the patient's alerts stand as they were (ops alert {alert.AlertId})");
        }
    }

    /// <summary>Newest history last: by patient, then observation time.</summary>
    public static List<Alert> Order(IEnumerable<Alert> alerts) =>
        alerts.OrderBy(a => a.PatientId, StringComparer.Ordinal).ThenBy(a => a.ObservedAt.UtcTicks).ThenBy(a => a.RuleId, StringComparer.Ordinal).ToList();

    private static string Severity(AlertSeverity severity) => severity.ToString().ToLowerInvariant();
}
