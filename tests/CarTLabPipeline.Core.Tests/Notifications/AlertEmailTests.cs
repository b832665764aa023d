using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.IgGLow;
using Microsoft.Extensions.Options;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Notifications;

public class AlertEmailComposerTests
{
    internal static Delivery Notice(string alertEvent, string recipient, int revision = 1) =>
        new() { Channel = EmailAlertPublisher.ChannelName, Event = alertEvent, Recipient = recipient, Revision = revision };

    private static readonly LabResult s_before = Result(Analyte.IgG, 20, 410m);
    private static readonly LabResult s_low = Result(Analyte.IgG, 45, 250m);

    private static Alert IgGAlert() => Assert.Single(Fired("igg.low", [s_before, s_low]));

    private static AlertEmailComposer Composer(EmailDetail detail = EmailDetail.Clinical, string? link = "https://cartlab.hospital.example") =>
        new(Options.Create(new EmailOptions { Detail = detail, PublicBaseUrl = link, From = "CAR-T alerts <alerts@hospital.example>" }));

    [Fact]
    public void Subject_GivesSeverityTitleAndDay_NeverThePatient()
    {
        var alert = IgGAlert();

        var subject = AlertEmailComposer.Subject(alert, AlertEvents.Raised);

        Assert.Equal("[CAR-T · warning] IgG below 300 mg/dL — day +45", subject);
        Assert.DoesNotContain(alert.PatientId, subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Clinical_CarriesSummaryEvidenceWithEarlierValuesActionLinkAndChart()
    {
        var alert = IgGAlert();

        var mail = Composer().Compose(alert, Notice(AlertEvents.Raised, "dr.test@hospital.example"), [0x89, 0x50], RecipientRole.CareTeam);

        foreach (var body in new[] { mail.Html, mail.Text })
        {
            Assert.Contains("250 mg/dL", body, StringComparison.Ordinal);
            Assert.Contains("410 mg/dL", body, StringComparison.Ordinal); // the earlier value that defines the change
            Assert.Contains("+45", body, StringComparison.Ordinal);
            Assert.Contains($"https://cartlab.hospital.example/app/alerts/{alert.AlertId}", body, StringComparison.Ordinal);
            Assert.Contains(alert.AlertId, body, StringComparison.Ordinal);
            Assert.Contains("brexu-cel", mail.Html, StringComparison.Ordinal);
        }

        Assert.Contains(System.Net.WebUtility.HtmlEncode(alert.SuggestedAction), mail.Html, StringComparison.Ordinal);
        Assert.Contains(alert.SuggestedAction, mail.Text, StringComparison.Ordinal);
        Assert.Contains("cid:" + AlertEmailComposer.ChartContentId, mail.Html, StringComparison.Ordinal);
        var chart = Assert.Single(mail.InlineImages);
        Assert.Equal(("image/png", AlertEmailComposer.ChartContentId), (chart.ContentType, chart.ContentId));
        Assert.Equal("dr.test@hospital.example", mail.To);
    }

    [Fact]
    public void Header_AfterAnHsct_SaysTheDayIsCountedFromTheTransplant_NotFromTheInfusion()
    {
        var hsct = new TreatmentEvent { Kind = TreatmentEventKind.AllogeneicHsct, Date = new DateOnly(2024, 9, 20) }; // day +24
        var alert = Assert.Single(Fired("igg.low", [s_before, s_low], enrollment: Enrollment() with { Events = [hsct] }));

        var mail = Composer().Compose(alert, Notice(AlertEvents.Raised, "dr.test@hospital.example"), [0x89, 0x50], RecipientRole.CareTeam);

        Assert.Equal(("allo-HSCT", 21), (alert.DayZeroEvent, alert.DayPostInfusion));
        Assert.Contains("day +21 after allo-HSCT (2024-09-20)", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("after brexu-cel infusion", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RecipientRole.CareTeam, "as a member of the patient's care team")]
    [InlineData(RecipientRole.OnCall, "as on call for critical CAR-T alerts: you were told of this alert while it was critical")]
    [InlineData(RecipientRole.EarlierRecipient, "because you were told of an earlier state of this alert")]
    public void Footer_TellsEachRecipientTheirRealReason(RecipientRole role, string reason)
    {
        var alert = IgGAlert(); // a warning: an on-call recipient hears of it only as a downgrade of a critical

        foreach (var detail in new[] { EmailDetail.Clinical, EmailDetail.Minimal })
        {
            var mail = Composer(detail).Compose(alert, Notice(AlertEvents.Updated, "someone@hospital.example", revision: 2), null, role);

            Assert.Contains(reason, mail.Text, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(reason), mail.Html, StringComparison.Ordinal);
            if (role != RecipientRole.CareTeam)
            {
                Assert.DoesNotContain("care team", mail.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Minimal_InfoAlert_ReadsAnInfoAlert()
    {
        var alert = IgGAlert() with { Severity = AlertSeverity.Info };

        var mail = Composer(EmailDetail.Minimal).Compose(alert, Notice(AlertEvents.Raised, "dr.test@hospital.example"), null, RecipientRole.CareTeam);

        Assert.StartsWith("An info alert was raised", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("A info", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Minimal_HasNoPatientIdNoValuesNoChart_OnlyALink()
    {
        var alert = IgGAlert();

        var mail = Composer(EmailDetail.Minimal).Compose(alert, Notice(AlertEvents.Raised, "dr.test@hospital.example"), [0x89, 0x50], RecipientRole.CareTeam);

        foreach (var body in new[] { mail.Html, mail.Text, mail.Subject })
        {
            Assert.DoesNotContain(alert.PatientId, body, StringComparison.Ordinal);
            Assert.DoesNotContain("250", body, StringComparison.Ordinal);
            Assert.DoesNotContain("2024-10-11", body, StringComparison.Ordinal);
        }

        Assert.Empty(mail.InlineImages);
        Assert.Contains($"https://cartlab.hospital.example/app/alerts/{alert.AlertId}", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Retraction_SaysSoWithTheReason_AndHasNoChart()
    {
        var alert = IgGAlert() with { Status = AlertStatus.Retracted, RetractionReason = "the igg result of day +45 it rested on was withdrawn" };

        var mail = Composer().Compose(alert, Notice(AlertEvents.Retracted, "dr.test@hospital.example"), [0x89, 0x50], RecipientRole.CareTeam);

        Assert.StartsWith("[CAR-T · retracted · warning] IgG below 300 mg/dL", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("no longer holds", mail.Text, StringComparison.Ordinal);
        Assert.Contains("The igg result of day +45 it rested on was withdrawn", mail.Text, StringComparison.Ordinal);
        Assert.Empty(mail.InlineImages);
    }

    [Fact]
    public void MessageKey_IsStablePerAlertEventAndRecipient_AndHidesTheAddress()
    {
        var a = AlertEmailComposer.MessageKey("abc", Notice(AlertEvents.Raised, "Dr.Test@hospital.example"), "Dr.Test@hospital.example");
        var b = AlertEmailComposer.MessageKey("abc", Notice(AlertEvents.Raised, "dr.test@hospital.example"), "dr.test@hospital.example");
        var retracted = AlertEmailComposer.MessageKey("abc", Notice(AlertEvents.Retracted, "dr.test@hospital.example"), "dr.test@hospital.example");
        var other = AlertEmailComposer.MessageKey("abc", Notice(AlertEvents.Raised, "nurse@hospital.example"), "nurse@hospital.example");

        Assert.Equal(a, b);
        Assert.NotEqual(a, retracted);
        Assert.NotEqual(a, other);
        Assert.DoesNotContain("hospital", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EncodesWhatItQuotes()
    {
        var alert = IgGAlert() with { Summary = "<script>alert(1)</script> & more" };

        var mail = Composer().Compose(alert, Notice(AlertEvents.Raised, "dr.test@hospital.example"), null, RecipientRole.CareTeam);

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", mail.Html, StringComparison.Ordinal);
        Assert.Empty(mail.InlineImages);
    }
}

public class AlertRecipientsTests
{
    private static AlertRecipients Sut() => new(Options.Create(new EmailOptions
    {
        OnCall = "oncall@hospital.example; DR.TEST@hospital.example",
        Ops = "ops@hospital.example",
    }));

    private static Alert Alert(AlertSeverity severity, AlertAudience audience = AlertAudience.CareTeam) =>
        Assert.Single(Fired("igg.low", [Result(Analyte.IgG, 45, 250m)])) with { Severity = severity, Audience = audience };

    private static Enrollment Team() => Enrollment() with
    {
        CareTeam = [new("Dr Test", "dr.test@hospital.example"), new("Nurse", "nurse@hospital.example")],
    };

    [Fact]
    public void Warning_GoesToTheCareTeamOnly()
    {
        Assert.Equal(["dr.test@hospital.example", "nurse@hospital.example"], Sut().For(Alert(AlertSeverity.Warning), Team()));
    }

    [Fact]
    public void Critical_AlsoGoesToOnCall_EachAddressOnceWhateverItsCase()
    {
        var recipients = Sut().For(Alert(AlertSeverity.Critical), Team());

        Assert.Equal(["dr.test@hospital.example", "nurse@hospital.example", "oncall@hospital.example"], recipients);
    }

    [Fact]
    public void OpsAlert_GoesToOpsOnly()
    {
        Assert.Equal(["ops@hospital.example"], Sut().For(Alert(AlertSeverity.Critical, AlertAudience.Ops), Team()));
    }

    [Theory]
    [InlineData("DR.TEST@hospital.example ", AlertAudience.CareTeam, RecipientRole.CareTeam)] // in the team and on call: the team
    [InlineData("oncall@hospital.example", AlertAudience.CareTeam, RecipientRole.OnCall)]
    [InlineData("former@hospital.example", AlertAudience.CareTeam, RecipientRole.EarlierRecipient)]
    [InlineData("ops@hospital.example", AlertAudience.Ops, RecipientRole.Ops)]
    public void RoleOf_SaysWhyAnAddressReceivesTheAlert(string address, AlertAudience audience, RecipientRole expected)
    {
        Assert.Equal(expected, Sut().RoleOf(Alert(AlertSeverity.Critical, audience), Team(), address));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Dr X <x@hospital.example>")]
    [InlineData("x@localhost")]
    public void EmailOptions_RejectInvalidAddresses(string address)
    {
        var options = new EmailOptions { OnCall = address };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Email:OnCall", StringComparison.Ordinal));
    }
}

public class TrendChartsTests
{
    [Fact]
    public void ForAlert_ShowsTheAnalytesHistoryWithTheRuleThresholdAndMarksTheTrigger()
    {
        var history = new[] { Result(Analyte.IgG, 20, 410m), Result(Analyte.IgG, 45, 250m), Result(Analyte.Cd4Abs, 45, 120m) };
        var alert = Assert.Single(Fired("igg.low", history));

        var chart = TrendCharts.ForAlert(alert, Enrollment(), history, Engine(Configure<IgGLowOptions>(o => o.ThresholdMgPerDl = 400)).Rules);

        Assert.NotNull(chart);
        Assert.Equal("mg/dL", chart.Unit);
        Assert.Equal([(20, 410.0, false), (45, 250.0, true)], chart.Points.Select(p => (p.Day, p.Value, p.IsTrigger)));
        Assert.Equal(400, chart.Threshold!.Value);
    }

    [Fact]
    public void Mrd_IsOnALogScale_WithUndetectableValuesAsUpperBounds()
    {
        var history = new[] { Result(Analyte.Mrd, -6, 2.1m), Result(Analyte.Mrd, 28, 0.01m, comparator: "<", sensitivity: 0.0001m) };

        var chart = TrendCharts.ForAnalyte(Analyte.Mrd, Enrollment(), history, TrendCharts.ThresholdFor(Engine().Rules.Single(r => r.Id == "mrd.rising"), Analyte.Mrd));

        Assert.NotNull(chart);
        Assert.True(chart.LogScale);
        Assert.Equal([false, true], chart.Points.Select(p => p.BelowDetection));
        Assert.Equal(0.01, chart.Threshold!.Value, 6);
    }

    [Fact]
    public void ForPatient_OneChartPerFollowedAnalyteWithValues()
    {
        var history = new[] { Result(Analyte.IgG, 20, 410m), Result(Analyte.Cd4Abs, 45, 120m), Result(Analyte.Wbc, 45, 3m) };

        var charts = TrendCharts.ForPatient(Enrollment(), history, Engine().Rules);

        Assert.Equal(["IgG", "CD4+ T cells"], charts.Select(c => c.Title));
    }
}
