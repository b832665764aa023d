using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Who is emailed about an alert (docs/design.md §5a): the patient's care team; for <c>critical</c> alerts also the on-call list;
/// ops alerts (unknown patients, failed deliveries) the ops list only. Each address once, whatever its case.
/// </summary>
public sealed class AlertRecipients(IOptions<EmailOptions> options)
{
    public IReadOnlyList<string> For(Alert alert, Enrollment? enrollment)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var o = options.Value;
        IEnumerable<string> addresses = alert.Audience == AlertAudience.Ops
            ? o.OpsAddresses
            : (enrollment?.CareTeam.Select(m => m.Email) ?? [])
                .Concat(alert.Severity == AlertSeverity.Critical ? o.OnCallAddresses : []);
        return addresses
            .Select(a => a.Trim())
            .Where(EmailAddresses.IsValid)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
