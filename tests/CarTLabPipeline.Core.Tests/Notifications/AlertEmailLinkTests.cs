using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Options;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Notifications;

/// <summary>Issue 15.5: every mail links its alert page, declares its charset, and says what its chart shows.</summary>
public class AlertEmailLinkTests
{
    private static Alert IgGAlert() => Assert.Single(Fired("igg.low", [Result(Analyte.IgG, 20, 410m), Result(Analyte.IgG, 45, 250m)]));

    private static EmailMessage Mail(Alert alert, EmailDetail detail, string alertEvent = AlertEvents.Raised, int escalation = 0, string? baseUrl = "https://cartlab.hospital.example/") =>
        new AlertEmailComposer(Options.Create(new EmailOptions { Detail = detail, PublicBaseUrl = baseUrl }))
            .Compose(alert, new Delivery { Channel = "email", Event = alertEvent, Recipient = "dr.test@hospital.example", Escalation = escalation }, [0x89], RecipientRole.CareTeam);

    [Theory]
    [InlineData(EmailDetail.Clinical)]
    [InlineData(EmailDetail.Minimal)]
    public void EveryMail_LinksTheAlertPage_WithoutAPatientIdInTheUrl(EmailDetail detail)
    {
        var alert = IgGAlert();

        var mail = Mail(alert, detail);

        var url = $"https://cartlab.hospital.example/app/alerts/{alert.AlertId}";
        Assert.Contains(url, mail.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{url}\"", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("?alert=", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPublicBaseUrl_NoLink()
    {
        var mail = Mail(IgGAlert(), EmailDetail.Clinical, baseUrl: null);

        Assert.DoesNotContain("/app/alerts/", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EmailDetail.Clinical)]
    [InlineData(EmailDetail.Minimal)]
    public void Html_DeclaresUtf8(EmailDetail detail)
    {
        Assert.Contains("<meta charset=\"utf-8\">", Mail(IgGAlert(), detail).Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AlertEvents.Raised, "[CAR-T · warning] IgG below 300 mg/dL — day +45")]
    [InlineData(AlertEvents.Updated, "[CAR-T · updated · warning] IgG below 300 mg/dL — day +45")]
    [InlineData(AlertEvents.Retracted, "[CAR-T · retracted · warning] IgG below 300 mg/dL — day +45")]
    [InlineData(AlertEvents.Escalated, "[CAR-T · escalated · warning] IgG below 300 mg/dL — day +45")]
    public void Subject_HasOneShapeForEveryEvent(string alertEvent, string subject)
    {
        Assert.Equal(subject, AlertEmailComposer.Subject(IgGAlert(), alertEvent));
    }

    [Theory]
    [InlineData(EmailDetail.Clinical)]
    [InlineData(EmailDetail.Minimal)]
    public void Escalation_SaysItIsNotAcknowledged_WithItsNumberAndHowLong(EmailDetail detail)
    {
        var raised = IgGAlert() with { Severity = AlertSeverity.Critical };
        var alert = raised with { Escalations = [new AlertEscalation(1, raised.CreatedAt.AddHours(2).AddMinutes(1), 1, ["oncall@hospital.example"])] };

        var mail = Mail(alert, detail, AlertEvents.Escalated, escalation: 1);

        Assert.Contains("escalation 1: still open 2 h 01 min after it was raised", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"/app/alerts/{alert.AlertId}", mail.Text, StringComparison.Ordinal);
        Assert.EndsWith("-escalated-e1." + mail.MessageKey.Split('.')[^1], mail.MessageKey, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartAltText_SaysAsOfTheAlert_AndHowCensoredValuesAreDrawn()
    {
        var mail = Mail(IgGAlert(), EmailDetail.Clinical);

        var alt = System.Net.WebUtility.HtmlEncode(AlertEmailComposer.TrendAlt(IgGAlert()));
        Assert.Contains($"alt=\"{alt}\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains("as of this alert", alt, StringComparison.Ordinal);
        Assert.Contains("up to day +45", alt, StringComparison.Ordinal);
        Assert.Contains("below the detection limit as open downward triangles", alt, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailOptions_TimelineBaseUrl_IsRejectedWithTheSettingThatReplacesIt()
    {
        var options = new EmailOptions { TimelineBaseUrl = "https://app/api/patients/{patientId}/timeline.png" };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Email__PublicBaseUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cartlab.hospital.example")]
    [InlineData("ftp://cartlab.hospital.example")]
    [InlineData("https://cartlab.hospital.example/?x=1")]
    public void EmailOptions_PublicBaseUrl_MustBeAnAbsoluteHttpUrl(string url)
    {
        var options = new EmailOptions { PublicBaseUrl = url };

        Assert.Contains(options.Validate(new ValidationContext(options)), e => e.MemberNames.Contains("PublicBaseUrl"));
    }
}
