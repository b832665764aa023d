using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Adapters.Email;

/// <summary>How to secure the SMTP connection.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it (MailKit's default).</summary>
    Auto,
    /// <summary>Plain text: loopback MailDev only.</summary>
    None,
    /// <summary>Require STARTTLS (port 587 relays).</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>The <c>Smtp</c> settings section (hospital relay; MailDev locally).</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = Local.MailDev.DefaultSmtpPort;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Empty: no authentication (relays that trust the sender's network).</summary>
    public string? UserName { get; set; }

    /// <summary>A Key Vault reference in Azure; never in a committed file.</summary>
    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The <c>SendGrid</c> settings section.</summary>
public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    /// <summary>The API key (in Azure a Key Vault reference: <c>@Microsoft.KeyVault(SecretUri=…)</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>API host; only tests change it (a loopback server).</summary>
    public string? Host { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
