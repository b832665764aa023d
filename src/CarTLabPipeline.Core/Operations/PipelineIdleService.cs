namespace CarTLabPipeline.Operations;

/// <summary>
/// Whether the pipeline has finished what it was given: no handler running and the work queues
/// (<see cref="PipelineNames.Queues.Work"/>) empty — counting messages held back by a retry delay — on several
/// consecutive checks. What <c>cartlab process</c>, <c>enroll</c> and <c>demo</c> wait for before printing.
/// </summary>
public sealed class PipelineIdleService(IPipelineMonitor monitor, TimeProvider time)
{
    /// <summary>Wait between two checks.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Consecutive idle checks that make "idle" (a handler may enqueue the next stage just after a check).</summary>
    public const int QuietChecks = 3;

    /// <summary>True when every work queue is empty now.</summary>
    public async Task<bool> WorkQueuesEmptyAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in PipelineNames.Queues.Work)
        {
            if ((await monitor.GetQueueStatusAsync(queue, readReasons: false, cancellationToken).ConfigureAwait(false)).Depth > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Waits until no handler runs (<paramref name="handlersRunning"/> is 0) and the work queues are empty on <see cref="QuietChecks"/> consecutive checks.</summary>
    /// <param name="handlersRunning">Handlers in flight in this process (the host counts them).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="pollInterval">Between two checks; <see cref="DefaultPollInterval"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>False when <paramref name="timeout"/> passed first.</returns>
    public async Task<bool> WaitUntilIdleAsync(Func<int> handlersRunning, TimeSpan timeout, TimeSpan? pollInterval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handlersRunning);
        var started = time.GetTimestamp();
        var quiet = 0;
        while (quiet < QuietChecks)
        {
            if (time.GetElapsedTime(started) > timeout)
            {
                return false;
            }

            await Task.Delay(pollInterval ?? DefaultPollInterval, time, cancellationToken).ConfigureAwait(false);
            var idle = handlersRunning() == 0 && await WorkQueuesEmptyAsync(cancellationToken).ConfigureAwait(false);
            quiet = idle ? quiet + 1 : 0;
        }

        return true;
    }
}
