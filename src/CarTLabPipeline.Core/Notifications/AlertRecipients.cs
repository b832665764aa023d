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
    /// <summary>
    /// Why <paramref name="address"/> receives the alert's mail, as the mail tells them: a member of the care team (also
    /// when on call), on call for critical alerts, an operator — or someone told of an earlier state of the alert who is
    /// no longer among its recipients (on call for a critical that was downgraded, a care team member since removed).
    /// </summary>
    public RecipientRole RoleOf(Alert alert, Enrollment? enrollment, string address)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(address);
        var o = options.Value;
        var a = address.Trim();
        if (alert.Audience == AlertAudience.Ops)
        {
            return RecipientRole.Ops;
        }

        if (enrollment?.CareTeam.Any(m => string.Equals(m.Email.Trim(), a, StringComparison.OrdinalIgnoreCase)) == true)
        {
            return RecipientRole.CareTeam;
        }

        return o.OnCallAddresses.Any(x => string.Equals(x.Trim(), a, StringComparison.OrdinalIgnoreCase))
            ? RecipientRole.OnCall
            : RecipientRole.EarlierRecipient;
    }

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
