using System.Globalization;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>
/// Waits for the pipeline to do all it can do now; says on stderr when deliveries are left waiting for a retry (a relay
/// or provider down: the command ends instead of sitting out minutes of back-off) or when it did not settle within
/// <see cref="IdleTimeout"/>.
/// </summary>
internal sealed class PipelineWait(CliOutput output, PipelineIdleService idle, PipelineActivity activity, SessionOptions session, DeliverySummaryService deliveries,
    TimeProvider time)
{
    /// <summary>When the command began (the service lives for one command): failures since then are this run's.</summary>
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>How long <c>process</c>, <c>enroll</c> and <c>demo</c> wait for the pipeline to become idle.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a command keeps waiting when only delivery retries are left (a retry due within it still goes out). Short:
    /// the first back-off is 30 s by default, and retries that other runs left scheduled must not hold up every command.
    /// </summary>
    public static readonly TimeSpan RetryGrace = TimeSpan.FromSeconds(3);

    /// <summary>True when the pipeline settled (idle, or only delivery retries left, which it reports); false after the timeout.</summary>
    public async Task<bool> UntilIdleAsync(CancellationToken cancellationToken)
    {
        var settled = await idle.WaitUntilSettledAsync(session.Triggers.WorkQueues(), () => activity.Running, IdleTimeout, RetryGrace, null, cancellationToken)
            .ConfigureAwait(false);
        if (settled != PipelineSettled.TimedOut)
        {
            await SayFailedAsync(cancellationToken).ConfigureAwait(false);
        }

        switch (settled)
        {
            case PipelineSettled.Idle:
                return true;
            case PipelineSettled.RetriesScheduled:
                var channels = await deliveries.SummarizeAsync(null, cancellationToken).ConfigureAwait(false);
                var waiting = channels.Sum(c => c.Waiting);
                var error = channels.Where(c => c.Waiting > 0).Select(c => c.LastError).FirstOrDefault(e => e is not null);
                var why = error is null ? string.Empty : $" (last error: {error})";
                // Held back with no delivery waiting: work scheduled for later (a critical alert's escalation check), not a retry.
                output.Error.WriteLine(waiting > 0
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{waiting} delivery(ies) waiting for a retry{why}: 'cartlab serve' sends them when they are due; 'cartlab status' lists them.")
                    : "Work is scheduled for later (an escalation check of a critical alert): 'cartlab serve' does it when it is due; 'cartlab status' lists it.");
                return true;
            default:
                output.Error.WriteLine($"The pipeline did not become idle within {IdleTimeout.TotalMinutes:0} minutes.");
                return false;
        }
    }

    /// <summary>Deliveries this run failed for good: how many, why, and the command that sends them once fixed.</summary>
    private async Task SayFailedAsync(CancellationToken cancellationToken)
    {
        var (failed, alerts, error) = await deliveries.FailedSinceAsync(_started, cancellationToken).ConfigureAwait(false);
        if (failed > 0)
        {
            var why = error is null ? string.Empty : $" (last error: {error})";
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{failed} delivery(ies) of {alerts} alert(s) failed for good{why}; ops were told (delivery.failed). Fix the transport, then 'cartlab redeliver --all'."));
        }
    }
}
