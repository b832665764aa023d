using System.Text.Json;
using CarTLabPipeline.Adapters.Tests.Contracts;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.LocalHost.Local;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Adapters.Tests.Notifications;

/// <summary>
/// The whole notification path on a real Azurite: alert rows as the outbox, retries through the queue with visibility
/// delays, the real SendGrid client against a loopback server, MailKit against a real MailDev that is stopped and restarted.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteCollection.Name)]
public class DeliveryIntegrationTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(60);

    private static string Results(string patientId) => $"""
        patient_id,collected_at,analyte,value,unit,accession
        {patientId},2024-08-22T08:00:00+02:00,igg,452,mg/dL,A-1
        {patientId},2024-09-24T08:00:00+02:00,igg,2.8,g/L,A-2
        {patientId},2024-10-11T08:00:00+02:00,anc,0.3,10*9/L,A-3
        """;

    private static Dictionary<string, string?> SendGrid(LoopbackSendGrid server, int maxAttempts = 5) => new()
    {
        ["Email:Provider"] = "SendGrid",
        ["SendGrid:ApiKey"] = "SG.test-key",
        ["SendGrid:Host"] = server.Url,
        ["Email:Ops"] = "ops@hospital.example",
        ["Notifications:RetryDelay"] = "00:00:00.200",
        ["Notifications:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task SendGrid_429Then500Then202_RetriesThroughTheQueueAndEndsSentOnce()
    {
        await using var server = new LoopbackSendGrid();
        server.Then(LoopbackSendGrid.Answer.RateLimited(1), LoopbackSendGrid.Answer.ServerError);
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString, SendGrid(server));
        await h.EnrollAsync("PT-SG-1");

        await h.DropAsync("lab-sg/PT-SG-1.csv", string.Join('\n', Results("PT-SG-1").Split('\n').Take(3)));
        await h.SettleAsync(s_settle);

        var row = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-SG-1", default));
        var email = row.Deliveries[$"email|raised|dr.test@hospital.example"];
        Assert.Equal((DeliveryState.Sent, 3, "sg-1"), (email.State, email.Attempts, email.ProviderMessageId));
        Assert.Null(email.LastError);
        Assert.Equal(DeliveryState.Sent, row.Deliveries["lab-alerts|raised"].State);
        Assert.Equal(1, row.Deliveries["lab-alerts|raised"].Attempts);
        Assert.Equal(3, server.Requests.Count); // 429, 500, 202: one mail delivered, nothing sent twice
        Assert.Empty(server.Problems);

        // A re-delivered notification sends nothing more.
        await h.Get<AlertDispatchService>().DispatchAsync(new NotificationRequest(row.Alert.AlertId, "PT-SG-1"), default);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task SendGrid_AlwaysFailing_MarksFailedPoisonsAndTellsOpsOnce()
    {
        await using var server = new LoopbackSendGrid { Default = LoopbackSendGrid.Answer.ServerError };
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString, SendGrid(server, maxAttempts: 3));
        await h.EnrollAsync("PT-SG-2");

        await h.DropAsync("lab-sg/PT-SG-2.csv", string.Join('\n', Results("PT-SG-2").Split('\n').Take(3)));
        await h.SettleAsync(s_settle);

        var rows = await h.Get<IAlertStore>().ListForPatientAsync("PT-SG-2", default);
        var clinical = Assert.Single(rows, r => r.Alert.RuleId == "igg.low");
        var email = clinical.Deliveries["email|raised|dr.test@hospital.example"];
        Assert.Equal((DeliveryState.Failed, 3), (email.State, email.Attempts));
        Assert.Contains("500", email.LastError, StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Sent, clinical.Deliveries["lab-alerts|raised"].State);

        var ops = Assert.Single(rows, r => r.Alert.RuleId == AlertDispatchService.DeliveryFailedRuleId);
        Assert.Equal(AlertAudience.Ops, ops.Alert.Audience);
        Assert.Contains(clinical.Alert.AlertId, ops.Alert.Summary, StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Sent, ops.Deliveries["lab-alerts|raised"].State); // ops see it on the topic even with email down
        Assert.Equal(DeliveryState.Failed, ops.Deliveries["email|raised|ops@hospital.example"].State); // and it raises no further alert
        Assert.Equal(2, rows.Count);

        var poison = (await h.Clients.Queues.GetQueueClient(PipelineNames.Queues.AlertNotifications + PipelineNames.Queues.PoisonSuffix).PeekMessagesAsync(32)).Value
            .Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(poison, r => r.Contains("email|raised|dr.test@hospital.example failed after 3 attempt(s)", StringComparison.Ordinal));
        Assert.Equal(6, server.Requests.Count); // 3 for the alert, 3 for the ops notice
    }

    [Fact]
    public async Task Smtp_RelayStoppedMidRunAndRestarted_EveryAlertEndsDeliveredExactlyOncePerRecipient()
    {
        var ports = LocalNodeService.FreePorts(2);
        var mails = Directory.CreateTempSubdirectory("cartlab-maildev-").FullName;
        var mailDev = await MailDev.StartAsync(ports[0], ports[1], mails, default);
        try
        {
            await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString, new Dictionary<string, string?>
            {
                ["Email:Provider"] = "Smtp",
                ["Smtp:Host"] = "127.0.0.1",
                ["Smtp:Port"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Smtp:Security"] = "None",
                ["Smtp:Timeout"] = "00:00:05",
                ["Notifications:RetryDelay"] = "00:00:00.500",
                ["Notifications:MaxAttempts"] = "10",
            });
            await h.EnrollAsync("PT-SMTP-1", "haem@hospital.example", "nurse@hospital.example");
            await h.DropAsync("lab-smtp/PT-SMTP-1.csv", Results("PT-SMTP-1"));

            // Evaluate, then dispatch one alert while the relay is up…
            await h.DrainAsync(dispatch: false);
            Assert.Equal(1, await h.DispatchVisibleAsync(max: 1));

            // …stop it and dispatch the rest: the failures wait for a retry.
            await mailDev.DisposeAsync();
            await h.DispatchVisibleAsync();
            var waiting = (await h.Get<IAlertStore>().ListForPatientAsync("PT-SMTP-1", default))
                .SelectMany(r => r.Deliveries.Values).Where(d => d.Channel == "email" && d.State == DeliveryState.Pending).ToList();
            Assert.NotEmpty(waiting);
            Assert.All(waiting, d => Assert.Contains("unavailable", d.LastError, StringComparison.Ordinal));

            // Restart it on the same ports and mail folder, and let the retries run.
            mailDev = await MailDev.StartAsync(ports[0], ports[1], mails, default);
            await h.SettleAsync(s_settle);

            var rows = await h.Get<IAlertStore>().ListForPatientAsync("PT-SMTP-1", default);
            Assert.Equal(2, rows.Count);
            Assert.All(rows.SelectMany(r => r.Deliveries.Values), d => Assert.Equal(DeliveryState.Sent, d.State));

            using var http = new HttpClient { BaseAddress = MailDev.WebUri(ports[1]) };
            using var inbox = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/email", UriKind.Relative)));
            var received = inbox.RootElement.EnumerateArray()
                .Select(m => (Subject: m.GetProperty("subject").GetString()!, To: m.GetProperty("to")[0].GetProperty("address").GetString()!))
                .ToList();
            var expected = rows.SelectMany(r => new[] { "haem@hospital.example", "nurse@hospital.example" }
                .Select(to => (AlertEmailComposer.Subject(r.Alert, AlertEvents.Raised), to))).ToList();
            Assert.Equal(expected.Order(), received.Order()); // each alert once per recipient: none lost, none twice
        }
        finally
        {
            await mailDev.DisposeAsync();
            Directory.Delete(mails, recursive: true);
        }
    }
}
