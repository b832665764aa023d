
namespace CarTLabPipeline.Notifications;

/// <summary>Which email transport delivers alerts.</summary>
public enum EmailProvider
{
    /// <summary>No email channel (alerts still go to the topic). The library default; hosts choose.</summary>
    None,
    /// <summary>SMTP relay through MailKit (hospital relays; MailDev locally).</summary>
    Smtp,
    /// <summary>SendGrid v3 API (Azure default; key from Key Vault).</summary>
    SendGrid,
}
