namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>Counts trigger invocations in flight, so "the pipeline is idle" can be told apart from "a handler is busy".</summary>
public sealed class PipelineActivity
{
    private int _running;
    private long _completed;

    public int Running => Volatile.Read(ref _running);

    public long Completed => Interlocked.Read(ref _completed);

    public IDisposable Track()
    {
        Interlocked.Increment(ref _running);
        return new Scope(this);
    }

    private sealed class Scope(PipelineActivity owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._running);
                Interlocked.Increment(ref owner._completed);
            }
        }
    }
}
