using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Moves a message that can never be processed to its queue's <c>-poison</c> queue as <c>{reason, message}</c>, at once
/// (retrying gives the same failure), and tells ops with one <c>ingest.poison-message</c> alert per message. The log and
/// the alert name the queue and the message id, never the content: the reason, which may quote it, stays on the poison queue.
/// </summary>
public sealed partial class PoisonMessages(IPipelineQueue queue, PoisonMessageAlerts alerts, ILogger<PoisonMessages> logger)
{
    /// <param name="queueName">The queue the message came from.</param>
    /// <param name="messageId">The queue's id of the message.</param>
    /// <param name="message">The message body, kept as it came.</param>
    /// <param name="reason">Why it can never be processed (kept on the poison queue).</param>
    /// <param name="what">What went wrong without any content, for the ops alert (e.g. "its unit could not be read").</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task MoveAsync(string queueName, string messageId, string message, string reason, string what, CancellationToken cancellationToken)
    {
        await queue.SendAsync(queueName + PipelineNames.Queues.PoisonSuffix, new PoisonedMessage(reason, message), null, cancellationToken).ConfigureAwait(false);
        LogPoisoned(logger, messageId, queueName);
        await alerts.RaiseAsync(queueName, messageId, what, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Message {MessageId} on {Queue} moved to the poison queue: it can never be processed")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string queue);
}
