using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Per channel: deliveries sent, waiting and failed, and to how many recipients (<see cref="DeliverySummaryService"/>).</summary>
internal static class DeliveryPrinter
{
    public static void Print(TextWriter output, IReadOnlyList<ChannelDeliverySummary> channels)
    {
        if (channels.Count == 0)
        {
            output.WriteLine("   no deliveries recorded");
            return;
        }

        foreach (var c in channels)
        {
            var who = c.Recipients > 0 ? $" to {c.Recipients} recipient(s)" : string.Empty;
            output.WriteLine($"   {c.Channel,-12} {c.Sent} sent{who}, {c.Waiting} waiting, {c.Failed} failed ({c.Alerts} alert(s); " +
                $"{c.UpdateNotices} update notice(s); {c.RetractionNotices} retraction notice(s))");
        }
    }
}
