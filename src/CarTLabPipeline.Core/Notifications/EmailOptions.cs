using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Notifications;

/// <summary>The <c>Email</c> settings section (docs/design.md §3, §5a).</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    public EmailProvider Provider { get; set; } = EmailProvider.None;

    /// <summary>Sender address, e.g. <c>CAR-T alerts &lt;cart-alerts@hospital.example&gt;</c>.</summary>
    public string From { get; set; } = "CAR-T lab alerts <cart-alerts@localhost.localdomain>";

    public EmailDetail Detail { get; set; } = EmailDetail.Clinical;

    /// <summary>
    /// The workspace's public base URL, e.g. <c>https://cartlab.hospital.example</c> (<c>cartlab</c>:
    /// <c>http://127.0.0.1:7071</c>). Every mail links its alert page, <c>{PublicBaseUrl}/app/alerts/{alertId}</c>, in both
    /// detail modes: the link carries no patient identifier. Empty: no link.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Replaced by <see cref="PublicBaseUrl"/>; a value is rejected at start-up with that advice (its links led nowhere).</summary>
    public string? TimelineBaseUrl { get; set; }

    /// <summary>On-call addresses that also receive <c>critical</c> alerts (comma or semicolon separated).</summary>
    public string? OnCall { get; set; }

    /// <summary>Ops addresses for ops alerts: unknown patients, failed deliveries (comma or semicolon separated).</summary>
    public string? Ops { get; set; }

    /// <summary>Width and height of the inline trend chart, in pixels.</summary>
    [Range(320, 2000)]
    public int ChartWidth { get; set; } = 720;

    [Range(200, 1200)]
    public int ChartHeight { get; set; } = 340;

    public IReadOnlyList<string> OnCallAddresses => Split(OnCall);

    public IReadOnlyList<string> OpsAddresses => Split(Ops);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != EmailProvider.None && !MailAddress.TryCreate(From, out _))
        {
            yield return new($"{SectionName}:From '{From}' is not a valid address", [nameof(From)]);
        }

        foreach (var (name, list) in new[] { (nameof(OnCall), OnCallAddresses), (nameof(Ops), OpsAddresses) })
        {
            foreach (var address in list.Where(a => !EmailAddresses.IsValid(a)))
            {
                yield return new($"{SectionName}:{name} contains '{address}', which is not a valid address", [name]);
            }
        }

        if (!string.IsNullOrEmpty(TimelineBaseUrl))
        {
            yield return new($"{SectionName}:TimelineBaseUrl is no longer read: mails link the alert page under {SectionName}:PublicBaseUrl " +
                $"(Email__PublicBaseUrl, the workspace's base URL such as https://cartlab.hospital.example); set that and remove TimelineBaseUrl",
                [nameof(TimelineBaseUrl)]);
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query)))
        {
            yield return new($"{SectionName}:PublicBaseUrl '{PublicBaseUrl}' is not an absolute http(s) URL without a query", [nameof(PublicBaseUrl)]);
        }
    }

    /// <summary>The alert page of <paramref name="alertId"/> in the workspace, or null without <see cref="PublicBaseUrl"/>.</summary>
    public string? AlertPage(string alertId) =>
        string.IsNullOrEmpty(PublicBaseUrl) ? null : $"{PublicBaseUrl.TrimEnd('/')}/app/alerts/{Uri.EscapeDataString(alertId)}";

    private static string[] Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
