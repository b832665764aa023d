using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab redeliver ALERT</c>: after fixing a channel, sends an alert's failed deliveries again.</summary>
internal sealed class RedeliverCommand(CliOutput output, AlertDispatchService dispatch, PipelineWait wait, DeliverySummaryService deliveries)
{
    public static Command Define(CliContext cli)
    {
        var alertId = new Argument<string>("alertId") { Description = "The alert whose failed deliveries to send again" };
        var command = new Command("redeliver", "After fixing a channel (SMTP, SendGrid, Service Bus): send an alert's failed deliveries again") { alertId };
        command.SetAction((r, ct) => cli.RunAsync<RedeliverCommand>(r, TriggerMode.Queues, (c, _) => c.RunAsync(r.GetValue(alertId)!, ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string alertId, CancellationToken ct)
    {
        var redelivery = await dispatch.RedeliverAsync(alertId, ct).ConfigureAwait(false);
        var cleared = redelivery.PoisonCleared == 0 ? string.Empty : $"; {redelivery.PoisonCleared} message(s) of it cleared from alert-notifications-poison";
        if (!redelivery.Found)
        {
            output.Error.WriteLine($"Alert {alertId} does not exist: check the id ('cartlab alerts' lists them).");
            return 1;
        }

        if (redelivery.Queued == 0)
        {
            output.Error.WriteLine($"Alert {alertId} has no failed deliveries: nothing to send{cleared}.");
            return redelivery.PoisonCleared > 0 ? 0 : 1;
        }

        output.Error.WriteLine($"{redelivery.Queued} failed delivery(ies) of {alertId} queued again{cleared}.");
        if (!await wait.UntilIdleAsync(ct).ConfigureAwait(false))
        {
            return 1;
        }

        DeliveryPrinter.Print(output.Out, await deliveries.SummarizeAsync(a => a.AlertId == alertId, ct).ConfigureAwait(false));
        return 0;
    }
}
