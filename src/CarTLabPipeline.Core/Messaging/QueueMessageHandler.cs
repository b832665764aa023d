using CarTLabPipeline.Ingestion;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Messaging;

/// <summary>
/// The one place a queue-triggered host (the Functions app, <c>cartlab</c>) turns a handler's failure into what the queue
/// does with the message:
/// <list type="bullet">
/// <item>a <see cref="PermanentPipelineException"/> (a malformed message) moves it to its <c>-poison</c> queue at once with the
/// reason, tells ops, and completes: retrying would read the same bytes;</item>
/// <item>a <see cref="TransientPipelineException"/> waits its <see cref="TransientPipelineException.RetryAfter"/> (at most
/// <see cref="MaxRetryWait"/>) and is rethrown, so the queue redelivers the message no sooner than the failure asked and
/// poisons it after its last attempt;</item>
/// <item>anything else is rethrown for the queue's own retry.</item>
/// </list>
/// </summary>
public sealed partial class QueueMessageHandler(PoisonMessages poison, TimeProvider time, ILogger<QueueMessageHandler> logger)
{
    /// <summary>The longest a transient failure holds its message before releasing it (the queue's lease must outlast it).</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="handle"/> for one message of <paramref name="queueName"/>.</summary>
    /// <returns>True when handled, false when the message was moved to the poison queue.</returns>
    /// <exception cref="TransientPipelineException">Rethrown after its wait: the queue retries.</exception>
    public async Task<bool> RunAsync(string queueName, string messageId, string message, Func<CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            await handle(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PermanentPipelineException ex)
        {
            await poison.MoveAsync(queueName, messageId, message, ex.Message, "it is not a message this queue can process", cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (TransientPipelineException ex) when (ex.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            var wait = retryAfter < MaxRetryWait ? retryAfter : MaxRetryWait;
            LogRetryLater(logger, messageId, queueName, wait.TotalSeconds);
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Message {MessageId} on {Queue} failed transiently: released for a retry after {Seconds} s")]
    private static partial void LogRetryLater(ILogger logger, string messageId, string queue, double seconds);
}
