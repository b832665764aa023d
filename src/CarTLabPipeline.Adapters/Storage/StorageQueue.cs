using Azure.Storage.Queues;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary><see cref="IPipelineQueue"/> on Storage queues (Base64 JSON, as the queue triggers expect).</summary>
public sealed class StorageQueue(StorageClients clients) : IPipelineQueue
{
    public Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        QueueClient queue = clients.Queues.GetQueueClient(queueName);
        return queue.SendMessageAsync(PipelineJson.Serialize(message), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }
}
