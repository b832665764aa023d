using System.Runtime.InteropServices;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// SIGINT and SIGTERM as one cancellation: the first signal cancels <see cref="Token"/> (and keeps the process alive so the
/// command can stop cleanly); a second one gets the default action and ends the process.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private string? _received;

    public ShutdownSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>The signal that stopped the command (<c>SIGINT</c>, <c>SIGTERM</c>), or null.</summary>
    public static string? Received { get; private set; }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _received, context.Signal.ToString(), null) is not null)
        {
            return; // second signal: default action
        }

        Received = _received;
        context.Cancel = true;
        // Not on the signal thread: the command's clean-up runs in the cancellation callbacks, and must not hold it.
        ThreadPool.UnsafeQueueUserWorkItem(static c => c.Cancel(), _cancel, preferLocal: false);
    }
}
