namespace CarTLabPipeline.Operations;

/// <summary>
/// Whether the pipeline has finished what it was given: no handler running and the work queues the caller's triggers
/// empty (all of <see cref="PipelineNames.Queues.Work"/>, or the stages before sending) — counting messages held back by a
/// retry delay — on several consecutive checks. What <c>cartlab process</c>, <c>enroll</c> and <c>demo</c> wait for before printing.
/// </summary>
public sealed class PipelineIdleService(IPipelineMonitor monitor, TimeProvider time)
{
    /// <summary>Wait between two checks.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Consecutive idle checks that make "idle" (a handler may enqueue the next stage just after a check).</summary>
    public const int QuietChecks = 3;

    /// <summary>True when every queue of <paramref name="queues"/> is empty now.</summary>
    public async Task<bool> QueuesEmptyAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        foreach (var queue in queues)
        {
            if ((await monitor.GetQueueStatusAsync(queue, readReasons: false, cancellationToken).ConfigureAwait(false)).Depth > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Waits until no handler runs (<paramref name="handlersRunning"/> is 0) and <paramref name="queues"/> are empty on <see cref="QuietChecks"/> consecutive checks.</summary>
    /// <param name="queues">The queues the caller's triggers empty (<see cref="PipelineNames.Queues.Work"/> when they run every stage).</param>
    /// <param name="handlersRunning">Handlers in flight in this process (the host counts them).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="pollInterval">Between two checks; <see cref="DefaultPollInterval"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>False when <paramref name="timeout"/> passed first.</returns>
    public async Task<bool> WaitUntilIdleAsync(IReadOnlyList<string> queues, Func<int> handlersRunning, TimeSpan timeout, TimeSpan? pollInterval, CancellationToken cancellationToken)
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
            var idle = handlersRunning() == 0 && await QueuesEmptyAsync(queues, cancellationToken).ConfigureAwait(false);
            quiet = idle ? quiet + 1 : 0;
        }

        return true;
    }
}
