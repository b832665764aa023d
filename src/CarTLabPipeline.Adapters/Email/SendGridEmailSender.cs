using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Mail;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace CarTLabPipeline.Adapters.Email;

/// <summary>
/// Sends through the SendGrid v3 API with the SendGrid client. The client does not retry 429 and we do not let it retry
/// anything: the dispatcher retries through the queue. 429 is transient with the wait SendGrid asks for
/// (<c>Retry-After</c>, else <c>X-RateLimit-Reset</c>); 5xx and timeouts are transient; other 4xx are permanent.
/// </summary>
public sealed class SendGridEmailSender : IEmailSender, IDisposable
{
    private readonly HttpClient _http;
    private readonly SendGridClient _client;
    private readonly TimeProvider _time;

    public SendGridEmailSender(IOptions<SendGridOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = o.Timeout };
        var clientOptions = new SendGridClientOptions { ApiKey = o.ApiKey };
        if (!string.IsNullOrEmpty(o.Host))
        {
            clientOptions.Host = o.Host;
        }

        _client = new SendGridClient(_http, clientOptions);
    }

    public async Task<string?> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Response response;
        try
        {
            response = await _client.SendEmailAsync(ToSendGrid(message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DeliveryException($"SendGrid unreachable: {ex.Message}", transient: true, innerException: ex);
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
        }

        var body = await response.Body.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var detail = body.Length > 300 ? body[..300] : body;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var wait = RetryAfter(response.Headers);
            throw new DeliveryException($"SendGrid rate limit (429); retry after {wait?.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) ?? "?"} s", transient: true, wait);
        }

        throw new DeliveryException($"SendGrid answered {status}: {detail}", transient: status >= 500 || status == 408);
    }

    /// <summary>The v3 request for <paramref name="message"/> (public for tests that inspect it).</summary>
    public static SendGridMessage ToSendGrid(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = new MailAddress(message.From);
        var mail = new SendGridMessage
        {
            From = new EmailAddress(from.Address, string.IsNullOrEmpty(from.DisplayName) ? null : from.DisplayName),
            Subject = message.Subject,
        };
        mail.AddTo(new EmailAddress(message.To));
        mail.AddContent(MimeType.Text, message.Text);
        mail.AddContent(MimeType.Html, message.Html);
        foreach (var image in message.InlineImages)
        {
            mail.AddAttachment(new SendGrid.Helpers.Mail.Attachment
            {
                Content = Convert.ToBase64String(image.Content),
                Type = image.ContentType,
                Filename = image.FileName,
                Disposition = "inline",
                ContentId = image.ContentId,
            });
        }

        mail.AddCategory(message.Category);
        mail.AddCustomArg("cartlabMessageKey", message.MessageKey);
        return mail;
    }

    /// <summary><c>Retry-After</c> (seconds or a date), else <c>X-RateLimit-Reset</c> (Unix seconds).</summary>
    private TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        var now = _time.GetUtcNow();
        if (headers.RetryAfter is { } retry)
        {
            return retry.Delta ?? (retry.Date is { } date ? Positive(date - now) : null);
        }

        if (headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            return Positive(DateTimeOffset.FromUnixTimeSeconds(epoch) - now);
        }

        return null;
    }

    private static TimeSpan Positive(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.Zero;

    public void Dispose() => _http.Dispose();
}
