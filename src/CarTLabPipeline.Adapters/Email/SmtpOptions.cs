using CarTLabPipeline.Composition;
using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Adapters.Email;

/// <summary>
/// The <c>Smtp</c> settings section (the hospital relay; MailDev locally). No host or port has a default: with
/// <c>Email__Provider=Smtp</c> a missing <c>Smtp__Host</c> or <c>Smtp__Port</c> stops the host at start-up instead of
/// sending clinical mail to a loopback address. <c>cartlab</c> sets both for its own MailDev.
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    /// <summary>The relay's host name (required).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Smtp__Host (Smtp:Host) is required with Email__Provider=Smtp: the SMTP relay's host name")]
    public string? Host { get; set; }

    /// <summary>The relay's port (required): 587 for STARTTLS, 465 for TLS, 25 inside a trusted network.</summary>
    [Required(ErrorMessage = "Smtp__Port (Smtp:Port) is required with Email__Provider=Smtp: 587 (STARTTLS), 465 (TLS) or 25")]
    [Range(1, 65535, ErrorMessage = "Smtp__Port (Smtp:Port) must be a port number, 1 to 65535")]
    public int? Port { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Empty: no authentication (relays that trust the sender's network).</summary>
    public string? UserName { get; set; }

    /// <summary>A Key Vault reference in Azure; never in a committed file.</summary>
    public string? Password { get; set; }

    [TimeSpanRange("00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
