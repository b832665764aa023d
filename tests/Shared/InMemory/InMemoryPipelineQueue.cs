using System.Text;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>One message sent to an <see cref="InMemoryPipelineQueue"/>: its JSON body and when it becomes visible.</summary>
public sealed record QueuedMessage(string QueueName, string MessageId, long Sequence, string Json, DateTimeOffset SentAt, DateTimeOffset VisibleFrom)
{
    /// <summary>The body read back as <typeparamref name="T"/> (with the pipeline's JSON options).</summary>
    public T? Body<T>() => PipelineJson.Deserialize<T>(Json);

    /// <summary>When the message expires (the queue's default time-to-live, 7 days).</summary>
    public DateTimeOffset ExpiresAt => SentAt + InMemoryPipelineQueue.TimeToLive;
}

/// <summary>
/// <see cref="IPipelineQueue"/> in memory, with the semantics of the Storage queue adapter (<c>StorageQueue</c>): the body
/// is the message serialized with <see cref="PipelineJson"/>; a delay is a visibility timeout in whole seconds (the client
/// sends <c>(int)delay.TotalSeconds</c>), between 0 and 7 days; a message larger than the service's 64 KiB (as Base64)
/// is refused; messages expire after 7 days. Time comes from the <see cref="TimeProvider"/> (a
/// <c>FakeTimeProvider</c> in tests). Queues need not be created. Thread-safe.
/// </summary>
public sealed class InMemoryPipelineQueue(TimeProvider time) : IPipelineQueue
{
    /// <summary>The default and longest time-to-live of a Storage queue message.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromDays(7);

    /// <summary>The longest visibility timeout a Storage queue accepts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>Largest message the service accepts, counted as the Base64 the queue triggers expect.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<QueuedMessage>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<QueuedMessage>> _sent = new(StringComparer.Ordinal);
    private long _sequence;

    public TimeProvider Time => time;

    public Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        cancellationToken.ThrowIfCancellationRequested();
        var visibility = TimeSpan.FromSeconds((int)(delay?.TotalSeconds ?? 0));
        if (visibility < TimeSpan.Zero || visibility > MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a queue's visibility timeout must be between 0 seconds and 7 days (400)");
        }

        var json = PipelineJson.Serialize(message);
        var base64 = 4 * ((Encoding.UTF8.GetByteCount(json) + 2) / 3);
        if (base64 > MaxMessageBytes)
        {
            throw new ArgumentException($"a queue message holds at most 64 KiB; this one is {base64} bytes as Base64 (413)", nameof(message));
        }

        Enqueue(queueName, json, visibility);
        return Task.CompletedTask;
    }

    public Task<int> DeleteWhereAsync(string queueName, Func<string, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return Task.FromResult(Live(queueName).RemoveAll(m => m.VisibleFrom <= now && match(m.Json)));
        }
    }

    /// <summary>Puts a raw body on a queue, as another producer would (test helper: e.g. a bad message).</summary>
    public QueuedMessage SendRaw(string queueName, string json, TimeSpan? delay = null) =>
        Enqueue(queueName, json, delay ?? TimeSpan.Zero);

    /// <summary>Every message ever sent to <paramref name="queueName"/>, received or not, in send order.</summary>
    public IReadOnlyList<QueuedMessage> Sent(string queueName)
    {
        lock (_lock)
        {
            return _sent.TryGetValue(queueName, out var list) ? [.. list] : [];
        }
    }

    /// <summary>How many messages were ever sent to <paramref name="queueName"/>.</summary>
    public int SentCount(string queueName)
    {
        lock (_lock)
        {
            return _sent.TryGetValue(queueName, out var list) ? list.Count : 0;
        }
    }

    /// <summary>The messages on <paramref name="queueName"/> now, visible or not (not removed), in the order they would be received.</summary>
    public IReadOnlyList<QueuedMessage> Peek(string queueName)
    {
        lock (_lock)
        {
            return [.. Live(queueName).OrderBy(m => m.VisibleFrom).ThenBy(m => m.Sequence)];
        }
    }

    /// <summary>Messages on <paramref name="queueName"/> now, visible or not (the queue's approximate message count).</summary>
    public int Count(string queueName)
    {
        lock (_lock)
        {
            return Live(queueName).Count;
        }
    }

    /// <summary>Messages on <paramref name="queueName"/> that are visible now.</summary>
    public int VisibleCount(string queueName)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return Live(queueName).Count(m => m.VisibleFrom <= now);
        }
    }

    /// <summary>When the next invisible message of <paramref name="queueName"/> becomes visible; null when there is none.</summary>
    public DateTimeOffset? NextVisibleAt(string queueName)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var waiting = Live(queueName).Where(m => m.VisibleFrom > now).ToList();
            return waiting.Count == 0 ? null : waiting.Min(m => m.VisibleFrom);
        }
    }

    /// <summary>
    /// Takes the messages of <paramref name="queueName"/> that are visible now (at most <paramref name="max"/>), oldest
    /// visibility first, and removes them (a receive followed by a delete).
    /// </summary>
    public IReadOnlyList<QueuedMessage> Receive(string queueName, int max = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var live = Live(queueName);
            var visible = live.Where(m => m.VisibleFrom <= now).OrderBy(m => m.VisibleFrom).ThenBy(m => m.Sequence).Take(max).ToList();
            foreach (var message in visible)
            {
                live.Remove(message);
            }

            return visible;
        }
    }

    /// <summary>Names of the queues that were ever sent to.</summary>
    public IReadOnlyList<string> QueueNames()
    {
        lock (_lock)
        {
            return [.. _sent.Keys.Order(StringComparer.Ordinal)];
        }
    }

    private QueuedMessage Enqueue(string queueName, string json, TimeSpan delay)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var message = new QueuedMessage(queueName, Guid.NewGuid().ToString("D"), ++_sequence, json, now, now + delay);
            List(_pending, queueName).Add(message);
            List(_sent, queueName).Add(message);
            return message;
        }
    }

    /// <summary>The messages still on the queue (expired ones dropped). Call under the lock.</summary>
    private List<QueuedMessage> Live(string queueName)
    {
        var now = time.GetUtcNow();
        var list = List(_pending, queueName);
        list.RemoveAll(m => m.ExpiresAt <= now);
        return list;
    }

    private static List<QueuedMessage> List(Dictionary<string, List<QueuedMessage>> queues, string queueName)
    {
        if (!queues.TryGetValue(queueName, out var list))
        {
            queues[queueName] = list = [];
        }

        return list;
    }
}
