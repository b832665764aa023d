using System.Net.Sockets;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CarTLabPipeline.Adapters.Email;

/// <summary>
/// Sends through an SMTP relay with MailKit: multipart/alternative (plain text + HTML) with the chart as an inline
/// <c>cid:</c> image, and a stable <c>Message-ID</c> from the alert, event and recipient. 4xx replies, refused or
/// dropped connections and timeouts are transient; 5xx replies are permanent refusals.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IEmailSender
{
    public async Task<string?> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value;
        var mime = ToMime(message);
        using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(o.Host!, o.Port.GetValueOrDefault(), Secure(o.Security), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(o.UserName))
            {
                await client.AuthenticateAsync(o.UserName, o.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return mime.MessageId;
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            throw new DeliveryException($"SMTP {o.Host}:{o.Port} replied {code} ({ex.ErrorCode}): {ex.Message}", transient: code is >= 400 and < 500, innerException: ex);
        }
        catch (AuthenticationException ex)
        {
            throw new DeliveryException($"SMTP {o.Host}:{o.Port} refused the credentials: {ex.Message}", transient: false, innerException: ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DeliveryException($"SMTP {o.Host}:{o.Port} unavailable: {ex.Message}", transient: true, innerException: ex);
        }
    }

    /// <summary>The MIME message for <paramref name="message"/> (public for tests that inspect it).</summary>
    public static MimeMessage ToMime(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = $"{message.MessageKey}@cartlab",
        };
        mime.From.Add(MailboxAddress.Parse(message.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Headers.Add("X-CarTLab-Category", message.Category);
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (var image in message.InlineImages)
        {
            var resource = body.LinkedResources.Add(image.FileName, image.Content, ContentType.Parse(image.ContentType));
            resource.ContentId = image.ContentId;
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    private static SecureSocketOptions Secure(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
