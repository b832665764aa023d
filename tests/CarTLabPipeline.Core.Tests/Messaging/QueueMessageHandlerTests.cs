using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Messaging;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Messaging;

/// <summary>
/// The hosts' one translation point for queue messages: malformed → poison at once with the reason (the queue would retry
/// five times for nothing), transient → released after the delay the failure asks for, anything else → the queue's retry.
/// </summary>
public class QueueMessageHandlerTests
{
    private static async Task<(bool Handled, PoisonedMessage Poisoned, string Summary)> PoisonAsync(InMemoryPipeline pipeline, string queue, Func<CancellationToken, Task> handle)
    {
        var handled = await pipeline.Get<QueueMessageHandler>().RunAsync(queue, "msg-1", "{not a message", handle, default);
        var poisoned = Assert.Single(pipeline.Queue.Sent(queue + PipelineNames.Queues.PoisonSuffix)).Body<PoisonedMessage>()!;
        var ops = Assert.Single(await pipeline.Alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, default)).Alert;
        Assert.Equal(PoisonMessageAlerts.RuleId, ops.RuleId);
        return (handled, poisoned, ops.Summary);
    }

    [Fact]
    public async Task MalformedEvaluationMessage_GoesToPoisonAtOnce_WithItsReason_AndOpsAreTold()
    {
        await using var pipeline = new InMemoryPipeline();
        const string message = """{"reason":"results"}""";

        var (handled, poisoned, summary) = await PoisonAsync(pipeline, PipelineNames.Queues.PatientEvaluations,
            ct => pipeline.Get<PatientEvaluationService>().HandleMessageAsync(message, ct));

        Assert.False(handled);
        Assert.Contains("a patient-evaluations message must be", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal("{not a message", poisoned.Message);
        Assert.Contains("msg-1 on patient-evaluations was moved to patient-evaluations-poison", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchMessageThatIsNotJson_GoesToPoisonAtOnce_WithTheParserReason()
    {
        await using var pipeline = new InMemoryPipeline();

        var (handled, poisoned, _) = await PoisonAsync(pipeline, PipelineNames.Queues.AlertNotifications,
            ct => pipeline.Get<AlertDispatchService>().HandleMessageAsync("{not json", ct));

        Assert.False(handled);
        Assert.StartsWith("an alert-notifications message must be", poisoned.Reason, StringComparison.Ordinal);
        Assert.Contains("it is not:", poisoned.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"subject":42}""")]
    [InlineData("""{"topic":"no subject"}""")]
    public async Task MalformedBlobEvent_GoesToPoisonAtOnce(string message)
    {
        await using var pipeline = new InMemoryPipeline();

        var (handled, poisoned, _) = await PoisonAsync(pipeline, PipelineNames.Queues.LabResultsEvents,
            ct => pipeline.Get<LabFileEventService>().HandleMessageAsync(message, ct));

        Assert.False(handled);
        Assert.StartsWith("a lab-results-events message must be", poisoned.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransientFailure_IsReleasedNoSoonerThanItsRetryAfter_ThenRethrownForTheQueue()
    {
        await using var pipeline = new InMemoryPipeline();
        var failure = TransientPipelineException.Contended("alert A-1", 10);

        var run = pipeline.Get<QueueMessageHandler>().RunAsync(PipelineNames.Queues.PatientEvaluations, "msg-2", "{}", _ => throw failure, default);
        pipeline.Time.Advance(TransientPipelineException.ContentionRetryAfter - TimeSpan.FromMilliseconds(1));
        var releasedEarly = run.IsCompleted;
        pipeline.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(releasedEarly);
        Assert.Same(failure, await Assert.ThrowsAsync<TransientPipelineException>(() => run));
        Assert.Empty(pipeline.Queue.Sent(PipelineNames.Queues.PatientEvaluations + PipelineNames.Queues.PoisonSuffix));
    }

    [Fact]
    public async Task TransientFailure_WaitsAtMostMaxRetryWait()
    {
        await using var pipeline = new InMemoryPipeline();

        var run = pipeline.Get<QueueMessageHandler>().RunAsync(PipelineNames.Queues.AlertNotifications, "msg-3", "{}",
            _ => throw new TransientPipelineException("throttled", TimeSpan.FromHours(1)), default);
        pipeline.Time.Advance(QueueMessageHandler.MaxRetryWait);

        await Assert.ThrowsAsync<TransientPipelineException>(() => run);
    }

    [Fact]
    public async Task UnexpectedFailure_IsRethrownAtOnce_AndNothingIsPoisoned()
    {
        await using var pipeline = new InMemoryPipeline();

        await Assert.ThrowsAsync<IOException>(() => pipeline.Get<QueueMessageHandler>().RunAsync(PipelineNames.Queues.PatientEvaluations, "msg-4", "{}",
            _ => throw new IOException("storage unreachable"), default));

        Assert.Empty(pipeline.Queue.Sent(PipelineNames.Queues.PatientEvaluations + PipelineNames.Queues.PoisonSuffix));
        Assert.Empty(await pipeline.Alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, default));
    }

    [Fact]
    public async Task GoodMessage_IsHandled()
    {
        await using var pipeline = new InMemoryPipeline();
        var calls = 0;

        var handled = await pipeline.Get<QueueMessageHandler>().RunAsync(PipelineNames.Queues.PatientEvaluations, "msg-5", "{}",
            _ => { calls++; return Task.CompletedTask; }, default);

        Assert.True((handled, calls) == (true, 1));
    }
}
