using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Waits for the pipeline to become idle; says so on stderr when it does not within <see cref="IdleTimeout"/>.</summary>
internal sealed class PipelineWait(CliOutput output, PipelineIdleService idle, PipelineActivity activity, SessionOptions session)
{
    /// <summary>How long <c>process</c>, <c>enroll</c> and <c>demo</c> wait for the pipeline to become idle.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    public async Task<bool> UntilIdleAsync(CancellationToken cancellationToken)
    {
        if (await idle.WaitUntilIdleAsync(session.Triggers.WorkQueues(), () => activity.Running, IdleTimeout, null, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        output.Error.WriteLine($"The pipeline did not become idle within {IdleTimeout.TotalMinutes:0} minutes.");
        return false;
    }
}
