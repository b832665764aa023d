using System.Net.Mail;

namespace CarTLabPipeline.Patients;

/// <summary>The one check of an email address the pipeline uses (enrollment, settings).</summary>
public static class EmailAddresses
{
    /// <summary>A bare address (<c>name@host.tld</c>), no display name, no surrounding spaces.</summary>
    public static bool IsValid(string? address) =>
        !string.IsNullOrWhiteSpace(address)
        && MailAddress.TryCreate(address, out var parsed)
        && parsed.Address == address
        && string.IsNullOrEmpty(parsed.DisplayName)
        && parsed.Host.Contains('.', StringComparison.Ordinal);
}
