using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary><see cref="IPipelineQueue"/> on Storage queues (Base64 JSON, as the queue triggers expect).</summary>
public sealed class StorageQueue(StorageClients clients) : IPipelineQueue
{
    /// <summary>How long a scanned message stays hidden: the scan puts the ones it keeps back at once, or this ends it.</summary>
    private static readonly TimeSpan s_scanHold = TimeSpan.FromSeconds(30);

    public Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        QueueClient queue = clients.Queues.GetQueueClient(queueName);
        return queue.SendMessageAsync(PipelineJson.Serialize(message), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }

    public async Task<int> DeleteWhereAsync(string queueName, Func<string, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        QueueClient queue = clients.Queues.GetQueueClient(queueName);
        var kept = new List<QueueMessage>();
        var deleted = 0;
        try
        {
            // Receiving hides each message for the scan, so every one is seen once; the kept ones are made visible again.
            while ((await queue.ReceiveMessagesAsync(32, s_scanHold, cancellationToken).ConfigureAwait(false)).Value is { Length: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    if (match(message.Body.ToString()))
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                        deleted++;
                    }
                    else
                    {
                        kept.Add(message);
                    }
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
        finally
        {
            foreach (var message in kept)
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }

        return deleted;
    }
}
