using Azure.Messaging.ServiceBus;
using CarTLabPipeline.Adapters.Messaging;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Tests.Notifications;

/// <summary>
/// Service Bus has no local emulator here: the publisher is tested through the SDK's own seams (a sender subclass over
/// its virtual members, <see cref="ServiceBusModelFactory"/> for what a subscriber receives), plus an opt-in live test.
/// </summary>
public class ServiceBusAlertPublisherTests
{
    internal static Alert SampleAlert(string patientId = "PT-SB-1") => new()
    {
        AlertId = AlertIds.Create("igg.low", patientId, ["r1"]),
        PatientId = patientId,
        RuleId = "igg.low",
        Severity = AlertSeverity.Warning,
        Title = "IgG below 300 mg/dL",
        Summary = "IgG 250 mg/dL on day +45 (2024-10-11)",
        SuggestedAction = "Consider immunoglobulin replacement",
        DayPostInfusion = 45,
        ObservedAt = new DateTimeOffset(2024, 10, 11, 7, 30, 0, TimeSpan.FromHours(2)),
        Evidence = [],
        Status = AlertStatus.Open,
        CreatedAt = new DateTimeOffset(2024, 10, 11, 9, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Publish_SendsTheContractMessage()
    {
        var sender = new RecordingSender();
        var alert = SampleAlert();

        var id = await new ServiceBusAlertPublisher(sender).PublishAsync(alert, new Delivery { Channel = "lab-alerts", Event = AlertEvents.Raised }, default);

        var message = Assert.Single(sender.Sent);
        Assert.Equal((alert.AlertId, alert.AlertId, "igg.low", "application/json"), (id, message.MessageId, message.Subject, message.ContentType));
        Assert.Equal("PT-SB-1", message.ApplicationProperties["patientId"]);
        Assert.Equal("igg.low", message.ApplicationProperties["ruleId"]);
        Assert.Equal("warning", message.ApplicationProperties["severity"]);
        Assert.Equal("raised", message.ApplicationProperties["event"]);
    }

    [Fact]
    public async Task Retraction_HasItsOwnStableMessageId()
    {
        var sender = new RecordingSender();

        await new ServiceBusAlertPublisher(sender).PublishAsync(SampleAlert(), new Delivery { Channel = "lab-alerts", Event = AlertEvents.Retracted }, default);

        Assert.Equal(SampleAlert().AlertId + "-retracted", Assert.Single(sender.Sent).MessageId);
    }

    [Fact]
    public void Subscriber_ReadsTheAlertBackFromTheBody()
    {
        var sent = ServiceBusAlertPublisher.ToMessage(SampleAlert(), new Delivery { Channel = "lab-alerts", Event = AlertEvents.Raised });
        var received = ServiceBusModelFactory.ServiceBusReceivedMessage(body: sent.Body, messageId: sent.MessageId, subject: sent.Subject,
            contentType: sent.ContentType, properties: sent.ApplicationProperties);

        var alert = PipelineJson.Deserialize<Alert>(received.Body.ToString());

        Assert.NotNull(alert);
        Assert.Equal((SampleAlert().AlertId, "igg.low", 45), (alert.AlertId, alert.RuleId, alert.DayPostInfusion));
        Assert.Equal("PT-SB-1", received.ApplicationProperties["patientId"]);
    }

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceBusy, true)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout, true)]
    [InlineData(ServiceBusFailureReason.MessagingEntityNotFound, false)]
    public async Task Failure_IsTransientAsTheSdkSays(ServiceBusFailureReason reason, bool transient)
    {
        var sender = new RecordingSender { Failure = new ServiceBusException("scripted", reason) };

        var ex = await Assert.ThrowsAsync<DeliveryException>(() =>
            new ServiceBusAlertPublisher(sender).PublishAsync(SampleAlert(), new Delivery { Channel = "lab-alerts", Event = AlertEvents.Raised }, default));

        Assert.Equal(transient, ex.Transient);
    }

    /// <summary>The SDK's mocking seam: a sender whose virtual send records instead of connecting.</summary>
    private sealed class RecordingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public ServiceBusException? Failure { get; init; }

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// Opt-in: runs against a real namespace when <c>CARTLAB_LIVE_SERVICEBUS</c> holds a connection string whose topic
/// <c>lab-alerts</c> has a subscription <c>cartlab-example</c> (infra/ creates both).
/// </summary>
public class ServiceBusLiveTests
{
    public const string Setting = "CARTLAB_LIVE_SERVICEBUS";

    [LiveServiceBusFact]
    public async Task Publish_ArrivesOnTheSubscriptionWithItsProperties()
    {
        await using var client = new ServiceBusClient(Environment.GetEnvironmentVariable(Setting));
        await using var sender = client.CreateSender(PipelineNames.ServiceBus.AlertsTopic);
        var alert = ServiceBusAlertPublisherTests.SampleAlert($"PT-LIVE-{Guid.NewGuid():N}");

        await new ServiceBusAlertPublisher(sender).PublishAsync(alert, new Delivery { Channel = "lab-alerts", Event = AlertEvents.Raised }, default);

        await using var receiver = client.CreateReceiver(PipelineNames.ServiceBus.AlertsTopic, "cartlab-example");
        for (var i = 0; i < 20; i++)
        {
            var message = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
            if (message is null)
            {
                continue;
            }

            await receiver.CompleteMessageAsync(message);
            if (message.MessageId == alert.AlertId)
            {
                Assert.Equal(alert.PatientId, message.ApplicationProperties["patientId"]);
                return;
            }
        }

        Assert.Fail("the published alert did not arrive on lab-alerts/cartlab-example");
    }
}

/// <summary>A fact that is skipped (and says why) unless the live Service Bus setting is present.</summary>
public sealed class LiveServiceBusFactAttribute : FactAttribute
{
    public LiveServiceBusFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ServiceBusLiveTests.Setting)))
        {
            Skip = $"set {ServiceBusLiveTests.Setting} to a Service Bus connection string to run against a real namespace";
        }
    }
}
