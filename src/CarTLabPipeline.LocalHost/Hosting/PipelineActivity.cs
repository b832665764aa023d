namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Counts trigger invocations in flight, so "the pipeline is idle" can be told apart from "a handler is busy"; and gives
/// each one a moment to finish when the host stops (<see cref="DrainGrace"/>) instead of cancelling it mid-way.
/// </summary>
public sealed class PipelineActivity
{
    /// <summary>
    /// How long a handler in flight when the host stops may still run before it is cancelled. Most finish well within
    /// it (a dispatch takes ~0.1 s), so a stop rarely leaves work to retry; well inside the host's 5 s stop budget.
    /// </summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    private int _running;
    private long _completed;

    public int Running => Volatile.Read(ref _running);

    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Counts an invocation until disposed.</summary>
    public IDisposable Track() => Track(CancellationToken.None);

    /// <summary>
    /// Counts an invocation until disposed; its <see cref="Invocation.Token"/> is cancelled <see cref="DrainGrace"/> after
    /// <paramref name="stopping"/> (the token the WebJobs host cancels when it stops): pass that to the handler.
    /// </summary>
    public Invocation Track(CancellationToken stopping)
    {
        Interlocked.Increment(ref _running);
        return new Invocation(this, stopping);
    }

    /// <summary>
    /// Runs a trigger's work as one tracked invocation (<see cref="Track(CancellationToken)"/>); work the stop cancelled
    /// ends in <see cref="StoppedByShutdownException"/>, so the log says what happened instead of a failure.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var invocation = Track(stopping);
        try
        {
            await work(invocation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (stopping.IsCancellationRequested)
        {
            throw new StoppedByShutdownException(ex);
        }
    }

    /// <summary>One invocation in flight.</summary>
    public sealed class Invocation : IDisposable
    {
        private readonly PipelineActivity _owner;
        private readonly CancellationTokenSource _drain = new();
        private readonly CancellationTokenRegistration _stopping;
        private int _disposed;

        internal Invocation(PipelineActivity owner, CancellationToken stopping)
        {
            _owner = owner;
            _stopping = stopping.Register(static state => ((CancellationTokenSource)state!).CancelAfter(DrainGrace), _drain);
        }

        /// <summary>Cancelled <see cref="DrainGrace"/> after the host began to stop.</summary>
        public CancellationToken Token => _drain.Token;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _stopping.Dispose();
                _drain.Dispose();
                Interlocked.Decrement(ref _owner._running);
                Interlocked.Increment(ref _owner._completed);
            }
        }
    }
}
