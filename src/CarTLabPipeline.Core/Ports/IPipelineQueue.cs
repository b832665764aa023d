namespace CarTLabPipeline.Ports;

/// <summary>A storage queue of the pipeline (messages are JSON).</summary>
public interface IPipelineQueue
{
    /// <summary>Sends <paramref name="message"/>, made visible after <paramref name="delay"/> when given.</summary>
    Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken);
}
