using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Writes the alert email of docs/design.md §5a, HTML and plain text. Built to be read in five seconds: a coloured banner with
/// severity and title, the summary in one sentence, the suggested action, then the evidence, the chart and the context.
/// The subject never names the patient. <see cref="EmailDetail.Minimal"/> mails carry no patient id, value or chart.
/// </summary>
public sealed class AlertEmailComposer(IOptions<EmailOptions> options)
{
    /// <summary>The <c>cid:</c> of the inline trend chart.</summary>
    public const string ChartContentId = "trend-chart";

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The subject, one shape for every notice: <c>[CAR-T{ ops} · {event · }{severity}] {title} — day +N</c>, e.g.
    /// <c>[CAR-T · warning] IgG below 300 mg/dL — day +45</c>, <c>[CAR-T · updated · warning] …</c>,
    /// <c>[CAR-T · retracted · critical] …</c>, <c>[CAR-T · escalated · critical] …</c>; the day is left out when the title
    /// says it, and for ops mails. Never a patient identifier.
    /// </summary>
    public static string Subject(Alert alert, string alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var ops = alert.Audience == AlertAudience.Ops;
        var tag = alertEvent is AlertEvents.Retracted or AlertEvents.Updated or AlertEvents.Escalated
            ? $"{alertEvent} · {Severity(alert.Severity)}"
            : Severity(alert.Severity);
        var dayText = $"day {ClinicalText.Day(alert.DayPostInfusion)}";
        var day = ops || alert.Title.Contains(dayText, StringComparison.Ordinal) ? string.Empty : $" — {dayText}";
        return $"[CAR-T{(ops ? " ops" : string.Empty)} · {tag}] {alert.Title}{day}";
    }

    /// <summary>
    /// The mail of one notice to one recipient, who is told why they receive it (<paramref name="role"/>).
    /// <paramref name="chartPng"/> is ignored in minimal mails; <paramref name="noChart"/>, when there is no chart, says
    /// why in a clinical mail (the patient's record was too large to read).
    /// </summary>
    public EmailMessage Compose(Alert alert, Delivery notice, byte[]? chartPng, RecipientRole role, string? noChart = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(notice);
        var recipient = notice.Recipient;
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var alertEvent = notice.Event;
        var o = options.Value;
        var minimal = o.Detail == EmailDetail.Minimal;
        var chart = !minimal && alertEvent != AlertEvents.Retracted && chartPng is { Length: > 0 } ? chartPng : null;
        var link = o.AlertPage(alert.AlertId);
        var missing = chart is null && alertEvent != AlertEvents.Retracted ? noChart : null;
        var (html, text) = minimal ? Minimal(alert, notice, link, role) : Clinical(alert, notice, link, chart is not null, missing, role);
        return new EmailMessage
        {
            From = o.From,
            To = recipient,
            Subject = Subject(alert, alertEvent),
            Html = html,
            Text = text,
            InlineImages = chart is null ? [] : [new InlineImage(ChartContentId, "trend.png", "image/png", chart)],
            MessageKey = MessageKey(alert.AlertId, notice, recipient),
            Category = alert.Audience == AlertAudience.Ops ? "cartlab-ops" : "cartlab-alert",
        };
    }

    /// <summary>
    /// Stable per alert, notice (event and revision) and recipient (the recipient is hashed: the key is visible to mail
    /// servers). A re-sent notice has the same key; every notice has its own.
    /// </summary>
    public static string MessageKey(string alertId, Delivery notice, string recipient)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(recipient);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(recipient.Trim().ToLowerInvariant()));
        return $"{AlertMessageIds.For(alertId, notice.Event, notice.Revision, notice.Escalation)}.{Convert.ToHexStringLower(hash)[..12]}";
    }

    private static (string Html, string Text) Clinical(Alert alert, Delivery notice, string? link, bool hasChart, string? noChart, RecipientRole role)
    {
        var alertEvent = notice.Event;
        var retracted = alertEvent == AlertEvents.Retracted;
        var escalated = alertEvent == AlertEvents.Escalated;
        var updated = alertEvent == AlertEvents.Updated;
        var ops = alert.Audience == AlertAudience.Ops;
        var colour = retracted ? "#475467" : Colour(alert.Severity);
        var html = new StringBuilder();
        var text = new StringBuilder();

        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(E(Subject(alert, alertEvent))).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f2f4f7;\">")
            .Append("<div style=\"max-width:760px;margin:0 auto;background:#ffffff;font-family:'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#101828;\">")
            .Append("<div style=\"background:").Append(colour).Append(";color:#ffffff;padding:14px 20px;\">")
            .Append("<div style=\"font-size:12px;letter-spacing:.08em;text-transform:uppercase;opacity:.9;\">")
            .Append(E(retracted ? "Retracted" : updated ? $"Updated · {Severity(alert.Severity)}"
                : escalated ? $"Escalated · {Severity(alert.Severity)}" : Severity(alert.Severity)))
            .Append(ops ? " · for ops" : " · CAR-T follow-up").Append("</div>")
            .Append("<div style=\"font-size:20px;font-weight:600;margin-top:2px;").Append(retracted ? "text-decoration:line-through;" : string.Empty).Append("\">")
            .Append(E(alert.Title)).Append("</div>");
        if (!ops)
        {
            html.Append("<div style=\"font-size:14px;margin-top:4px;\">Patient ").Append(E(alert.PatientId))
                .Append(" · day ").Append(E(ClinicalText.Day(alert.DayPostInfusion))).Append(" after ")
                .Append(E(alert.DayZeroEvent ?? $"{alert.Product ?? "CAR-T"} infusion"))
                .Append(alert.InfusionDate is { } infused ? $" ({E(Date(infused))})" : string.Empty).Append("</div>");
        }

        html.Append("</div><div style=\"padding:18px 20px;\">");
        text.AppendLine(Subject(alert, alertEvent)).AppendLine();

        if (retracted)
        {
            var reason = alert.RetractionReason ?? "the results no longer support it";
            var action = alert.SupersededBy is null ? " No action is needed for it." : " Act on the alert that replaces it.";
            html.Append(Box("#475467", "This alert no longer holds", $"{E(Capitalise(reason))}.{E(action)}"));
            text.Append("This alert no longer holds: ").Append(Capitalise(reason)).Append('.').AppendLine(action).AppendLine();
            html.Append("<p style=\"font-size:14px;color:#475467;margin:14px 0 0;\">The original alert said: ").Append(E(alert.Summary)).Append("</p>");
            text.Append("The original alert said: ").AppendLine(alert.Summary).AppendLine();
        }
        else
        {
            if (escalated)
            {
                var escalation = Escalation(alert, notice);
                html.Append(Box(Colour(alert.Severity), "Not acknowledged", E(escalation) + ".")).Append("<div style=\"height:14px\"></div>");
                text.Append("NOT ACKNOWLEDGED: ").Append(escalation).AppendLine(".").AppendLine();
            }

            if (updated)
            {
                var change = Capitalise(alert.Change ?? "the alert's details changed");
                html.Append(Box("#1d2939", "What changed since the last notice", E(change) + ".")).Append("<div style=\"height:14px\"></div>");
                text.Append("WHAT CHANGED: ").Append(change).AppendLine(".").AppendLine();
            }

            html.Append("<p style=\"font-size:16px;line-height:1.45;margin:0 0 14px;\">").Append(E(alert.Summary)).Append("</p>")
                .Append(Box(colour, "Suggested action", E(alert.SuggestedAction)));
            text.AppendLine(alert.Summary).AppendLine()
                .Append("SUGGESTED ACTION: ").AppendLine(alert.SuggestedAction).AppendLine();
        }

        if (alert.Evidence.Count > 0)
        {
            AppendEvidence(alert, html, text);
        }

        if (hasChart)
        {
            html.Append("<img src=\"cid:").Append(ChartContentId).Append("\" alt=\"").Append(E(TrendAlt(alert)))
                .Append("\" width=\"720\" style=\"display:block;width:100%;max-width:720px;height:auto;margin:16px 0 0;border:1px solid #eaecf0;\">");
            text.AppendLine("(A trend chart is attached to the HTML version of this mail.)").AppendLine();
        }
        else if (noChart is not null)
        {
            html.Append("<p style=\"margin:16px 0 0;color:#475467;\">No trend chart: ").Append(E(noChart)).Append(".</p>");
            text.Append("No trend chart: ").Append(noChart).AppendLine(".").AppendLine();
        }

        if (link is not null)
        {
            html.Append("<p style=\"margin:18px 0 0;\"><a href=\"").Append(E(link))
                .Append("\" style=\"display:inline-block;background:#1d2939;color:#ffffff;text-decoration:none;padding:9px 16px;border-radius:4px;font-size:14px;\">")
                .Append(escalated ? "Open and acknowledge the alert" : "Open the alert").Append("</a></p>");
            text.Append("Open the alert: ").AppendLine(link).AppendLine();
        }

        AppendFooter(alert, role, html, text);
        html.Append("</div></div></body></html>");
        return (html.ToString(), text.ToString());
    }

    private static (string Html, string Text) Minimal(Alert alert, Delivery notice, string? link, RecipientRole role)
    {
        var alertEvent = notice.Event;
        var retracted = alertEvent == AlertEvents.Retracted;
        var colour = retracted ? "#475467" : Colour(alert.Severity);
        var who = alert.Audience == AlertAudience.Ops ? "in the CAR-T lab pipeline" : "for a patient in your care";
        var what = alertEvent switch
        {
            AlertEvents.Retracted => $"An earlier {Severity(alert.Severity)} alert {who} ({alert.Title}) has been retracted; " +
                (alert.SupersededBy is null ? "no action is needed for it." : "a new alert replaces it."),
            AlertEvents.Updated => $"An alert {who} has changed; it is now {Severity(alert.Severity)}: {alert.Title}.",
            AlertEvents.Escalated => $"{Article(Severity(alert.Severity))} {Severity(alert.Severity)} alert {who} is not acknowledged ({Escalation(alert, notice)}): {alert.Title}.",
            _ => $"{Article(Severity(alert.Severity))} {Severity(alert.Severity)} alert was raised {who}: {alert.Title}.",
        };
        var policy = "By policy this email carries no patient details. Open the link to read the alert.";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Segoe UI',Helvetica,Arial,sans-serif;color:#101828;\">")
            .Append("<div style=\"max-width:640px;border-top:6px solid ").Append(colour).Append(";padding:14px 4px;\">")
            .Append("<p style=\"font-size:16px;\">").Append(E(what)).Append("</p><p style=\"color:#475467;\">").Append(E(policy)).Append("</p>");
        var text = new StringBuilder().AppendLine(what).AppendLine().AppendLine(policy).AppendLine();
        if (link is not null)
        {
            html.Append("<p><a href=\"").Append(E(link)).Append("\">Open the alert</a></p>");
            text.AppendLine(link).AppendLine();
        }

        var why = WhyYouReceiveThis(alert, role);
        html.Append("<p style=\"font-size:12px;color:#667085;\">Alert id ").Append(E(alert.AlertId)).Append("<br>").Append(E(why)).Append("</p></div></body></html>");
        text.Append("Alert id ").AppendLine(alert.AlertId).AppendLine(why);
        return (html.ToString(), text.ToString());
    }

    private static void AppendEvidence(Alert alert, StringBuilder html, StringBuilder text)
    {
        const string Th = "text-align:left;padding:6px 10px;border-bottom:2px solid #d0d5dd;font-size:12px;color:#475467;text-transform:uppercase;letter-spacing:.04em;";
        html.Append("<table role=\"presentation\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;width:100%;margin:18px 0 0;font-size:14px;\">")
            .Append("<tr><th style=\"").Append(Th).Append("\">Result</th><th style=\"").Append(Th).Append("text-align:right;\">Value</th>")
            .Append("<th style=\"").Append(Th).Append("\">Collected</th><th style=\"").Append(Th).Append("text-align:right;\">Day</th></tr>");
        text.AppendLine("EVIDENCE");

        // Oldest first, so the change reads left to right in time like the chart.
        foreach (var e in alert.Evidence.OrderBy(e => e.CollectedAt.UtcTicks))
        {
            var trigger = e.Role == EvidenceRoles.Trigger;
            var name = AnalyteCatalog.TryResolve(e.Analyte, out var info) ? info.DisplayName : e.Analyte;
            var value = ClinicalText.Value(e.Value, e.Comparator, e.Detected, e.Unit, "—") + (e.Status == ResultStatus.Corrected ? " (corrected)" : string.Empty);
            var row = trigger ? "font-weight:600;background:#fffaeb;" : "color:#475467;";
            const string Td = "padding:6px 10px;border-bottom:1px solid #eaecf0;";
            html.Append("<tr style=\"").Append(row).Append("\"><td style=\"").Append(Td).Append("\">").Append(E(name))
                .Append(trigger ? " <span style=\"font-size:11px;color:#b54708;\">&#9679; new</span>" : string.Empty).Append("</td>")
                .Append("<td style=\"").Append(Td).Append("text-align:right;white-space:nowrap;\">").Append(E(value)).Append("</td>")
                .Append("<td style=\"").Append(Td).Append("white-space:nowrap;\">").Append(E(Collected(e))).Append("</td>")
                .Append("<td style=\"").Append(Td).Append("text-align:right;\">").Append(E(ClinicalText.Day(e.DayPostInfusion))).Append("</td></tr>");
            text.Append(trigger ? "  * " : "    ").Append(name).Append(": ").Append(value).Append(", ")
                .Append(Collected(e)).Append(", day ").AppendLine(ClinicalText.Day(e.DayPostInfusion));
        }

        html.Append("</table>");
        text.AppendLine("  (* = the result that raised this alert)").AppendLine();
    }

    /// <summary>The recipient's real reason for the mail; for clinicians, the reminder that alerts support judgement.</summary>
    private static string WhyYouReceiveThis(Alert alert, RecipientRole role)
    {
        var reason = role switch
        {
            RecipientRole.Ops => "You receive this as an operator of the CAR-T lab pipeline.",
            RecipientRole.CareTeam => "You receive this as a member of the patient's care team.",
            RecipientRole.OnCall when alert.Severity == AlertSeverity.Critical => "You receive this as on call for critical CAR-T alerts.",
            RecipientRole.OnCall => "You receive this as on call for critical CAR-T alerts: you were told of this alert while it was critical.",
            _ => "You receive this because you were told of an earlier state of this alert.",
        };
        return role == RecipientRole.Ops
            ? reason
            : reason + " Alerts support, not replace, clinical judgement: check the source report before acting.";
    }

    private static string Article(string word) => word.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(word[0]), StringComparison.Ordinal) ? "An" : "A";

    private static void AppendFooter(Alert alert, RecipientRole role, StringBuilder html, StringBuilder text)
    {
        var why = WhyYouReceiveThis(alert, role);
        var facts = string.Create(s_invariant,
            $"Alert {alert.AlertId} · rule {alert.RuleId} v{alert.RuleVersion} · raised {alert.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        if (alert.Revision > 1 && alert.UpdatedAt is { } updated)
        {
            facts += string.Create(s_invariant, $" · revision {alert.Revision} of {updated.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }

        html.Append("<p style=\"margin:22px 0 0;padding-top:12px;border-top:1px solid #eaecf0;font-size:12px;color:#667085;line-height:1.5;\">")
            .Append(E(facts)).Append("<br>").Append(E(why)).Append("</p>");
        text.AppendLine("--").AppendLine(facts).AppendLine(why);
    }

    private static string Box(string colour, string heading, string htmlBody) =>
        $"<div style=\"border-left:4px solid {colour};background:#f9fafb;padding:10px 14px;font-size:15px;line-height:1.45;\">" +
        $"<div style=\"font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:{colour};\">{E(heading)}</div>{htmlBody}</div>";

    /// <summary>What the chart shows, for readers who cannot see it (and clients that block images).</summary>
    internal static string TrendAlt(Alert alert)
    {
        var trigger = alert.Evidence.FirstOrDefault(e => e.Role == EvidenceRoles.Trigger);
        var name = trigger is null ? "the result" : AnalyteCatalog.TryResolve(trigger.Analyte, out var info) ? $"{info.DisplayName} ({info.DisplayUnit})" : trigger.Analyte;
        var day = ClinicalText.Day(trigger?.DayPostInfusion ?? alert.DayPostInfusion);
        return $"Trend chart of {name} by day since {alert.DayZeroEvent ?? "infusion"}, as of this alert: results collected up to day {day}, the rule's threshold as a dashed line, " +
            "the result that raised the alert highlighted, values below the detection limit as open downward triangles (upper bounds).";
    }

    /// <summary>"escalation 2: still open 3 h 0 min after it was raised" for an escalated notice.</summary>
    private static string Escalation(Alert alert, Delivery notice)
    {
        var record = alert.Escalations.FirstOrDefault(e => e.Number == notice.Escalation);
        var since = alert.Revision > 1 && alert.UpdatedAt is { } updated ? updated : alert.CreatedAt;
        var open = record is null ? null : (TimeSpan?)(record.At - since);
        var how = open is { } span ? $"still open {(int)span.TotalHours} h {span.Minutes:00} min after it was {(alert.Revision > 1 ? "last updated" : "raised")}" : "still open";
        return string.Create(s_invariant, $"escalation {notice.Escalation}: {how}; you receive it as on call");
    }

    private static string Severity(AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    private static string Colour(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "#b42318",
        AlertSeverity.Warning => "#b54708",
        _ => "#175cd3",
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", s_invariant);

    private static string DateTime(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", s_invariant);

    /// <summary>When a result was collected: a date sent without a time is printed as that date, never with a made-up hour.</summary>
    private static string Collected(AlertEvidence e) => e.CollectedDateOnly ? e.CollectedAt.ToString("yyyy-MM-dd", s_invariant) + " (date only)" : DateTime(e.CollectedAt);

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
