using System.Globalization;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// An <see cref="IEmailSender"/> that keeps every email it is given (the composed <see cref="EmailMessage"/>: subject,
/// HTML, text, inline chart) and can be told to fail the next sends with a <see cref="DeliveryException"/>. Thread-safe.
/// </summary>
public sealed class InMemoryEmailSender : IEmailSender
{
    private readonly Lock _lock = new();
    private readonly List<EmailMessage> _sent = [];
    private readonly Queue<DeliveryException> _failures = new();

    /// <summary>The emails sent, in order.</summary>
    public IReadOnlyList<EmailMessage> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>The emails sent to <paramref name="address"/> (case-insensitive).</summary>
    public IReadOnlyList<EmailMessage> SentTo(string address)
    {
        lock (_lock)
        {
            return [.. _sent.Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Makes the next <paramref name="count"/> sends throw <see cref="DeliveryException"/>.</summary>
    public InMemoryEmailSender FailNext(int count = 1, bool transient = true, TimeSpan? retryAfter = null, string message = "in-memory transport failure")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(new DeliveryException(message, transient, retryAfter));
            }
        }

        return this;
    }

    public Task<string?> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_failures.TryDequeue(out var failure))
            {
                throw failure;
            }

            _sent.Add(message);
            return Task.FromResult<string?>(string.Create(CultureInfo.InvariantCulture, $"inmemory-{_sent.Count}"));
        }
    }
}
