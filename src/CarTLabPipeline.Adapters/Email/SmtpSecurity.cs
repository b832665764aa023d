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
