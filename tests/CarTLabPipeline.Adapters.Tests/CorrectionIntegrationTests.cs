using System.Text.Json;
using CarTLabPipeline.Adapters.Tests.Contracts;
using CarTLabPipeline.Adapters.Tests.Notifications;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Adapters.Tests;

/// <summary>
/// Alerts follow the corrected record, end to end on real parts: files dropped into Azurite's blob container, the real
/// services, the SendGrid client against a loopback server, the local <c>lab-alerts</c> queue.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteCollection.Name)]
public sealed class CorrectionIntegrationTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(30);

    private const string Header = "patient_id,collected_at,analyte,value,unit,specimen,status,accession,sensitivity,reported_at";

    private static string MrdFile(string patientId, string day120Value, string status, string reportedAt) => $"""
        {Header}
        {patientId},2024-09-24T08:15:00+02:00,mrd,<0.01,%,bone marrow,final,FL-28,1e-4,2024-09-24T15:00:00+02:00
        {patientId},2024-12-25T08:15:00+01:00,mrd,{day120Value},%,bone marrow,{status},FL-120,1e-4,{reportedAt}
        """;

    private static async Task<(PipelineHarness Harness, LoopbackSendGrid Mail)> StartAsync(AzuriteFixture azurite, string patientId)
    {
        var mail = new LoopbackSendGrid();
        var h = await PipelineHarness.CreateAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Email:Provider"] = "SendGrid",
            ["SendGrid:ApiKey"] = "SG.test-key",
            ["SendGrid:Host"] = mail.Url,
            ["Email:OnCall"] = "oncall@hospital.example",
        });
        await h.EnrollAsync(patientId);
        return (h, mail);
    }

    private static List<(string To, string Subject, string Text)> Mails(LoopbackSendGrid mail) =>
    [
        .. mail.Requests.Select(r => (
            r.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString()!,
            r.GetProperty("subject").GetString()!,
            r.GetProperty("content").EnumerateArray().First(c => c.GetProperty("type").GetString() == "text/plain").GetProperty("value").GetString()!)),
    ];

    private static async Task<Dictionary<string, JsonElement>> LabAlertsAsync(PipelineHarness h, string patientId) =>
        (await h.PeekLabAlertsAsync(patientId)).ToDictionary(e => e.GetProperty("messageId").GetString()!);

    [Fact]
    public async Task MrdCorrectedFrom005To0005_TheCriticalAlertIsDowngraded_AndEachRecipientIsToldOnceWhatChanged()
    {
        var (h, mail) = await StartAsync(azurite, "PT-COR-1");
        await using var _ = h;
        await using var __ = mail;

        await h.DropAsync("lab-flow/day120.csv", MrdFile("PT-COR-1", "0.05", "final", "2024-12-25T14:00:00+01:00"));
        await h.SettleAsync(s_settle);
        var raised = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-1", default)).Alert;
        Assert.Equal((AlertSeverity.Critical, "mrd.positive-conversion"), (raised.Severity, raised.RuleId));
        Assert.Equal(2, mail.Requests.Count); // care team + on-call

        await h.DropAsync("lab-flow/day120-corrected.csv", MrdFile("PT-COR-1", "0.005", "corrected", "2024-12-26T09:10:00+01:00"));
        await h.SettleAsync(s_settle);

        var row = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-1", default));
        var alert = row.Alert;
        Assert.Equal((raised.AlertId, AlertStatus.Open, AlertSeverity.Warning, 2), (alert.AlertId, alert.Status, alert.Severity, alert.Revision));
        Assert.StartsWith("MRD corrected from 0.05 % to 0.005 %; downgraded from critical to warning", alert.Change, StringComparison.Ordinal);
        var trigger = Assert.Single(alert.Evidence, e => e.Role == EvidenceRoles.Trigger);
        Assert.Equal((0.005m, ResultStatus.Corrected, "0.005"), (trigger.Value, trigger.Status, trigger.OriginalValue));

        // One update to each recipient of the raise (on-call too: it was told of the critical alert), none twice.
        var mails = Mails(mail);
        Assert.Equal(4, mails.Count);
        var updates = mails.Where(m => m.Subject.StartsWith("[CAR-T · updated · warning]", StringComparison.Ordinal)).ToList();
        Assert.Equal(["dr.test@hospital.example", "oncall@hospital.example"], updates.Select(m => m.To).Order());
        Assert.Contains("WHAT CHANGED: MRD corrected from 0.05 % to 0.005 %", updates[0].Text, StringComparison.Ordinal);
        var events = await LabAlertsAsync(h, "PT-COR-1");
        Assert.Equal(new[] { raised.AlertId, raised.AlertId + "-updated-2" }.Order(), events.Keys.Order());
        Assert.Equal("updated", events[raised.AlertId + "-updated-2"].GetProperty("applicationProperties").GetProperty("event").GetString());

        // The record kept both versions; dropping either file again changes nothing and sends nothing.
        var versions = await h.Get<ILabResultStore>().GetVersionsAsync("PT-COR-1", default);
        Assert.Equal(3, versions.Count);
        await h.DropAsync("lab-flow/again.csv", MrdFile("PT-COR-1", "0.05", "final", "2024-12-25T14:00:00+01:00"));
        await h.DropAsync("lab-flow/again-2.csv", MrdFile("PT-COR-1", "0.005", "corrected", "2024-12-26T09:10:00+01:00") + "\n");
        await h.SettleAsync(s_settle);
        Assert.Equal(4, mail.Requests.Count);
        Assert.Equal(2, (await LabAlertsAsync(h, "PT-COR-1")).Count);
        Assert.Equal(2, Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-1", default)).Alert.Revision);
    }

    [Fact]
    public async Task ResultWithdrawn_TheAlertIsRetractedWithThePreciseReason_AndToldOnce()
    {
        var (h, mail) = await StartAsync(azurite, "PT-COR-2");
        await using var _ = h;
        await using var __ = mail;
        await h.DropAsync("lab-core/igg.csv", $"""
            {Header}
            PT-COR-2,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,
            """);
        await h.SettleAsync(s_settle);
        var raised = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-2", default)).Alert;

        await h.DropAsync("lab-core/igg-cancel.csv", $"""
            {Header}
            PT-COR-2,2024-10-11T07:34:00+02:00,igg,,mg/dL,serum,cancelled,CL-45,,
            """);
        await h.SettleAsync(s_settle);

        var alert = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-2", default)).Alert;
        Assert.Equal(AlertStatus.Retracted, alert.Status);
        Assert.Equal("the lab withdrew the IgG result of 2024-10-11 (day +45): its latest version of the result is a cancellation", alert.RetractionReason);
        Assert.Equal(["[CAR-T · retracted · warning] IgG below 300 mg/dL — day +45", $"[CAR-T · warning] {raised.Title} — day +45"],
            Mails(mail).Select(m => m.Subject).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InfusionDateCorrectedByReEnrolling_OpenAlertsTakeTheNewDays_AndAcknowledgedOnesReopen()
    {
        var (h, mail) = await StartAsync(azurite, "PT-COR-3");
        await using var _ = h;
        await using var __ = mail;
        await h.DropAsync("lab-core/igg.csv", $"""
            {Header}
            PT-COR-3,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,
            """);
        await h.SettleAsync(s_settle);
        var raised = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-3", default)).Alert;
        Assert.Equal(AlertStatus.Acknowledged, (await h.Get<AlertQueryService>().AcknowledgeAsync(raised.AlertId, "dr.test", default)).Alert?.Status);

        var enrollment = await h.Get<IPatientStore>().GetAsync("PT-COR-3", default);
        await h.Get<EnrollmentService>().EnrollAsync(enrollment! with { InfusionDate = new DateOnly(2024, 8, 29) }, default);
        await h.SettleAsync(s_settle);

        var alert = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-COR-3", default)).Alert;
        Assert.Equal((43, new DateOnly(2024, 8, 29), AlertStatus.Open, 2), (alert.DayPostInfusion, alert.InfusionDate!.Value, alert.Status, alert.Revision));
        Assert.Null(alert.AcknowledgedBy);
        Assert.Equal(43, Assert.Single(alert.Evidence).DayPostInfusion);
        Assert.Contains("day +43", alert.Summary, StringComparison.Ordinal);
        Assert.Equal("infusion date changed from 2024-08-27 to 2024-08-29: day +45 is now day +43", alert.Change);
        Assert.Equal(2, mail.Requests.Count);
    }
}
