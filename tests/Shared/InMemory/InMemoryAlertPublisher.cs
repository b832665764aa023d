using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>One call of <see cref="IAlertPublisher.PublishAsync"/>: a snapshot of the alert, the delivery, and what came of it.</summary>
public sealed record PublishedAlert(Alert Alert, Delivery Delivery, DateTimeOffset At, string? ProviderMessageId, Exception? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// An <see cref="IAlertPublisher"/> that records every call (a JSON snapshot of the alert, the delivery, the outcome) and
/// can be told to fail the next calls with a <see cref="DeliveryException"/>. Without an <c>inner</c> publisher a call
/// succeeds and returns the event's message id (as the topic and the local queue do); with one (e.g. the real
/// <c>EmailAlertPublisher</c>) the call is handed on. Thread-safe.
/// </summary>
public sealed class InMemoryAlertPublisher(string channel, bool addressesRecipients, TimeProvider? time = null, IAlertPublisher? inner = null) : IAlertPublisher
{
    private readonly Lock _lock = new();
    private readonly List<PublishedAlert> _calls = [];
    private readonly Queue<Func<DeliveryException>> _failures = new();

    public string Channel => channel;

    public bool AddressesRecipients => addressesRecipients;

    /// <summary>Every call, failed ones included, in call order.</summary>
    public IReadOnlyList<PublishedAlert> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The calls that succeeded, in call order.</summary>
    public IReadOnlyList<PublishedAlert> Published
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls.Where(c => c.Succeeded)];
            }
        }
    }

    /// <summary>Makes the next <paramref name="count"/> calls throw <see cref="DeliveryException"/>.</summary>
    public InMemoryAlertPublisher FailNext(int count = 1, bool transient = true, TimeSpan? retryAfter = null, string message = "in-memory channel failure")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(() => new DeliveryException($"{channel}: {message}", transient, retryAfter));
            }
        }

        return this;
    }

    /// <summary>Forgets the recorded calls and the pending failures.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _calls.Clear();
            _failures.Clear();
        }
    }

    public async Task<string?> PublishAsync(Alert alert, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(delivery);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = PipelineJson.Deserialize<Alert>(PipelineJson.Serialize(alert))!;
        var at = (time ?? TimeProvider.System).GetUtcNow();
        Func<DeliveryException>? failure;
        lock (_lock)
        {
            _failures.TryDequeue(out failure);
        }

        if (failure is not null)
        {
            var error = failure();
            Record(new PublishedAlert(snapshot, delivery, at, null, error));
            throw error;
        }

        try
        {
            var id = inner is null ? AlertMessageIds.For(alert.AlertId, delivery.Event) : await inner.PublishAsync(alert, delivery, cancellationToken).ConfigureAwait(false);
            Record(new PublishedAlert(snapshot, delivery, at, id, null));
            return id;
        }
        catch (Exception ex)
        {
            Record(new PublishedAlert(snapshot, delivery, at, null, ex));
            throw;
        }
    }

    private void Record(PublishedAlert call)
    {
        lock (_lock)
        {
            _calls.Add(call);
        }
    }
}
