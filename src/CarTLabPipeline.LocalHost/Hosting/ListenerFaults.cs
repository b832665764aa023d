using System.Runtime.ExceptionServices;
using Microsoft.Azure.WebJobs.Host.Timers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Where the WebJobs SDK reports a listener that stopped (a queue or blob poll that failed past the storage client's
/// retries, as when storage is unreachable). The SDK's default handler stops the host and rethrows on a new thread, which
/// ends the process; this one logs one line and tells the session (<see cref="Faulted"/>), which restarts the triggers
/// once storage answers again.
/// </summary>
internal sealed partial class ListenerFaults(ILogger<ListenerFaults> logger) : IWebJobsExceptionHandlerFactory, IWebJobsExceptionHandler
{
    private readonly TaskCompletionSource<string> _faulted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes, with the exception's type, at the first listener failure of this host.</summary>
    public Task<string> Faulted => _faulted.Task;

    public IWebJobsExceptionHandler Create(IHost jobHost) => this;

    public Task OnTimeoutExceptionAsync(ExceptionDispatchInfo exceptionInfo, TimeSpan timeoutGracePeriod)
    {
        ArgumentNullException.ThrowIfNull(exceptionInfo);
        Report(exceptionInfo.SourceException);
        return Task.CompletedTask;
    }

    public Task OnUnhandledExceptionAsync(ExceptionDispatchInfo exceptionInfo)
    {
        ArgumentNullException.ThrowIfNull(exceptionInfo);
        Report(exceptionInfo.SourceException);
        return Task.CompletedTask;
    }

    private void Report(Exception exception)
    {
        var type = (exception is AggregateException { InnerException: { } inner } ? inner : exception).GetType().Name;
        if (_faulted.TrySetResult(type))
        {
            LogListenerStopped(logger, type);
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "A trigger listener stopped ({ErrorType}; storage unreachable?): the triggers restart once storage answers")]
    private static partial void LogListenerStopped(ILogger logger, string errorType);
}
