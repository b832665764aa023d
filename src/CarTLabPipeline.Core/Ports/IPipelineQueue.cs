namespace CarTLabPipeline.Ports;

/// <summary>A storage queue of the pipeline (messages are JSON).</summary>
public interface IPipelineQueue
{
    /// <summary>Sends <paramref name="message"/>, made visible after <paramref name="delay"/> when given.</summary>
    Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the messages visible now on <paramref name="queueName"/> whose JSON body <paramref name="match"/> accepts,
    /// and leaves the others as they were (visible). Returns how many were deleted (0 for a missing queue). Reads the
    /// whole queue: for housekeeping of small queues (a poison queue once its cause is fixed), not for a trigger's queue.
    /// </summary>
    Task<int> DeleteWhereAsync(string queueName, Func<string, bool> match, CancellationToken cancellationToken);
}
