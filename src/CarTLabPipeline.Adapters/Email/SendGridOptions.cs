using CarTLabPipeline.Composition;
using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Adapters.Email;

/// <summary>The <c>SendGrid</c> settings section.</summary>
public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    /// <summary>The API key (in Azure a Key Vault reference: <c>@Microsoft.KeyVault(SecretUri=…)</c>); required, no default.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "SendGrid__ApiKey (SendGrid:ApiKey) is required with Email__Provider=SendGrid: the API key (a Key Vault reference in Azure)")]
    public string? ApiKey { get; set; }

    /// <summary>API host; only tests change it (a loopback server).</summary>
    public string? Host { get; set; }

    [TimeSpanRange("00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
