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

    /// <summary>Waits until no handler runs (<paramref name="handlersRunning"/> is 0) and <paramref name="queues"/> are empty on <see cref="QuietChecks"/> consecutive checks.</summary>
    /// <param name="queues">The queues the caller's triggers empty (<see cref="PipelineNames.Queues.Work"/> when they run every stage).</param>
    /// <param name="handlersRunning">Handlers in flight in this process (the host counts them).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="pollInterval">Between two checks; <see cref="DefaultPollInterval"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>False when <paramref name="timeout"/> passed first.</returns>
    public async Task<bool> WaitUntilIdleAsync(IReadOnlyList<string> queues, Func<int> handlersRunning, TimeSpan timeout, TimeSpan? pollInterval, CancellationToken cancellationToken) =>
        await WaitUntilSettledAsync(queues, handlersRunning, timeout, Timeout.InfiniteTimeSpan, pollInterval, cancellationToken).ConfigureAwait(false) == PipelineSettled.Idle;

    /// <summary>
    /// Waits until the pipeline has done all it can do now: no handler runs and <paramref name="queues"/> are empty on
    /// <see cref="QuietChecks"/> consecutive checks — or, once <paramref name="retryGrace"/> has passed in that state, all
    /// that is left is <c>alert-notifications</c> messages held back by a delay: deliveries waiting out their retry
    /// back-off (a relay or provider down). Those are scheduled work, not work in progress: the caller says so and stops
    /// waiting, instead of sitting out every back-off (minutes) until the last attempt.
    /// </summary>
    /// <param name="queues">The queues the caller's triggers empty.</param>
    /// <param name="handlersRunning">Handlers in flight in this process (the host counts them).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="retryGrace">
    /// How long to keep waiting for held-back deliveries (a retry due soon still goes out);
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for them as for any other work.
    /// </param>
    /// <param name="pollInterval">Between two checks; <see cref="DefaultPollInterval"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<PipelineSettled> WaitUntilSettledAsync(IReadOnlyList<string> queues, Func<int> handlersRunning, TimeSpan timeout, TimeSpan retryGrace,
        TimeSpan? pollInterval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(handlersRunning);
        var started = time.GetTimestamp();
        var quiet = 0;
        long? heldSince = null;
        while (true)
        {
            if (time.GetElapsedTime(started) > timeout)
            {
                return PipelineSettled.TimedOut;
            }

            await Task.Delay(pollInterval ?? DefaultPollInterval, time, cancellationToken).ConfigureAwait(false);
            var state = handlersRunning() == 0 ? await QueueStateAsync(queues, cancellationToken).ConfigureAwait(false) : Work.Running;
            quiet = state == Work.Running ? 0 : quiet + 1;
            heldSince = state == Work.RetriesHeldBack ? heldSince ?? time.GetTimestamp() : null;
            if (quiet < QuietChecks)
            {
                continue;
            }

            if (state == Work.None)
            {
                return PipelineSettled.Idle;
            }

            if (retryGrace != Timeout.InfiniteTimeSpan && time.GetElapsedTime(heldSince!.Value) >= retryGrace)
            {
                return PipelineSettled.RetriesScheduled;
            }
        }
    }

    private enum Work
    {
        None,
        RetriesHeldBack,
        Running,
    }

    private async Task<Work> QueueStateAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        var state = Work.None;
        foreach (var queue in queues)
        {
            var status = await monitor.GetQueueStatusAsync(queue, readReasons: false, cancellationToken).ConfigureAwait(false);
            if (status.Depth == 0)
            {
                continue;
            }

            if (queue != PipelineNames.Queues.AlertNotifications || !status.AllHeldBack)
            {
                return Work.Running;
            }

            state = Work.RetriesHeldBack;
        }

        return state;
    }
}
