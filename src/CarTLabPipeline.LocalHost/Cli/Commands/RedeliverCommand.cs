using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary>
/// <c>cartlab redeliver ALERT… | --all</c>: after fixing a channel, sends the failed deliveries of the alerts again (all
/// alerts with one, after an outage) and clears their messages from <c>alert-notifications-poison</c>.
/// </summary>
internal sealed class RedeliverCommand(CliOutput output, AlertDispatchService dispatch, PipelineWait wait, DeliverySummaryService deliveries)
{
    public static Command Define(CliContext cli)
    {
        var alertIds = new Argument<string[]>("alertId") { Description = "The alerts whose failed deliveries to send again", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Every alert with a failed delivery (after an outage)" };
        var command = new Command("redeliver", "After fixing a channel (SMTP, SendGrid, Service Bus): send the failed deliveries of alerts again") { alertIds, all };
        command.Validators.Add(r =>
        {
            var ids = r.GetValue(alertIds) ?? [];
            if (ids.Length == 0 && !r.GetValue(all))
            {
                r.AddError("name the alerts to redeliver ('cartlab status' lists those with failed deliveries), or pass --all");
            }
            else if (ids.Length > 0 && r.GetValue(all))
            {
                r.AddError("give alert ids or --all, not both");
            }
        });
        command.SetAction((r, ct) => cli.RunAsync<RedeliverCommand>(r, TriggerMode.Queues, (c, _) => c.RunAsync(r.GetValue(alertIds) ?? [], r.GetValue(all), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> alertIds, bool all, CancellationToken ct)
    {
        var ids = all ? await dispatch.FailedAlertIdsAsync(ct).ConfigureAwait(false) : alertIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            output.Error.WriteLine("No alert has a failed delivery: nothing to send.");
            return 0;
        }

        int queued = 0, missing = 0, nothing = 0;
        foreach (var alertId in ids)
        {
            var redelivery = await dispatch.RedeliverAsync(alertId, ct).ConfigureAwait(false);
            var cleared = redelivery.PoisonCleared == 0 ? string.Empty : $"; {redelivery.PoisonCleared} message(s) of it cleared from alert-notifications-poison";
            if (!redelivery.Found)
            {
                missing++;
                output.Error.WriteLine($"Alert {alertId} does not exist: check the id ('cartlab alerts' lists them).");
            }
            else if (redelivery.Queued == 0)
            {
                nothing += redelivery.PoisonCleared == 0 ? 1 : 0;
                output.Error.WriteLine($"Alert {alertId} has no failed deliveries: nothing to send{cleared}.");
            }
            else
            {
                queued += redelivery.Queued;
                output.Error.WriteLine($"{redelivery.Queued} failed delivery(ies) of {alertId} queued again{cleared}.");
            }
        }

        if (queued > 0)
        {
            if (!await wait.UntilIdleAsync(ct).ConfigureAwait(false))
            {
                return 1;
            }

            var set = ids.ToHashSet(StringComparer.Ordinal);
            DeliveryPrinter.Print(output.Out, await deliveries.SummarizeAsync(a => set.Contains(a.AlertId), ct).ConfigureAwait(false));
        }

        // Something to fix: an id that names no alert, or (named by hand) an alert with nothing to redeliver.
        return missing > 0 || (nothing > 0 && queued == 0) ? 1 : 0;
    }
}
