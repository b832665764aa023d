using System.Runtime.CompilerServices;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Alerts;

/// <summary>Acknowledgement's four outcomes are values, none an exception: the HTTP API maps them to 200/404/409.</summary>
public class AlertQueryServiceTests
{
    private const string Patient = "PT-ACK";

    private static async Task<(InMemoryPipeline Pipeline, string AlertId)> RaisedAsync()
    {
        var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, day: 28, value: 250m, patientId: Patient));
        await pipeline.RunAsync(dispatch: false);
        return (pipeline, Assert.Single(pipeline.Alerts.All()).Alert.AlertId);
    }

    [Fact]
    public async Task AcknowledgeAsync_OpenAlert_IsAcknowledgedByWhoAndWhen()
    {
        var (pipeline, alertId) = await RaisedAsync();
        await using var _ = pipeline;

        var outcome = await pipeline.Get<AlertQueryService>().AcknowledgeAsync(alertId, " dr.test ", default);

        Assert.Equal(AcknowledgeStatus.Acknowledged, outcome.Status);
        Assert.Equal((AlertStatus.Acknowledged, "dr.test", pipeline.Time.GetUtcNow()), (outcome.Alert!.Status, outcome.Alert.AcknowledgedBy, outcome.Alert.AcknowledgedAt));
        Assert.Equal(AlertStatus.Acknowledged, Assert.Single(pipeline.Alerts.All()).Alert.Status);
    }

    [Fact]
    public async Task AcknowledgeAsync_Again_KeepsTheFirstAcknowledgement()
    {
        var (pipeline, alertId) = await RaisedAsync();
        await using var _ = pipeline;
        var queries = pipeline.Get<AlertQueryService>();
        await queries.AcknowledgeAsync(alertId, "dr.first", default);

        var outcome = await queries.AcknowledgeAsync(alertId, "dr.second", default);

        Assert.Equal((AcknowledgeStatus.Acknowledged, "dr.first"), (outcome.Status, outcome.Alert!.AcknowledgedBy));
    }

    [Fact]
    public async Task AcknowledgeAsync_UnknownId_IsNotFound()
    {
        await using var pipeline = new InMemoryPipeline();

        var outcome = await pipeline.Get<AlertQueryService>().AcknowledgeAsync("no-such-alert", "dr.test", default);

        Assert.Equal((AcknowledgeStatus.NotFound, null), (outcome.Status, outcome.Alert));
        Assert.Equal("no alert no-such-alert", outcome.Detail);
    }

    [Fact]
    public async Task AcknowledgeAsync_RetractedAlert_IsRetractedWithItsReason_AndNothingIsWritten()
    {
        var (pipeline, alertId) = await RaisedAsync();
        await using var _ = pipeline;
        var row = Assert.Single(pipeline.Alerts.All());
        var retracted = row.Alert with { Status = AlertStatus.Retracted, RetractionReason = "the lab withdrew the result" };
        Assert.NotNull(await pipeline.Alerts.TryUpdateAsync(retracted, row.Deliveries, row.ETag, default));

        var outcome = await pipeline.Get<AlertQueryService>().AcknowledgeAsync(alertId, "dr.test", default);

        Assert.Equal(AcknowledgeStatus.Retracted, outcome.Status);
        Assert.Contains("the lab withdrew the result", outcome.Detail, StringComparison.Ordinal);
        Assert.Null(Assert.Single(pipeline.Alerts.All()).Alert.AcknowledgedBy);
    }

    [Fact]
    public async Task AcknowledgeAsync_EveryWriteLosesItsRace_IsAConflict_NotAnException()
    {
        var (pipeline, alertId) = await RaisedAsync();
        await using var _ = pipeline;
        var queries = new AlertQueryService(new AlwaysStale(pipeline.Alerts), pipeline.Time);

        var outcome = await queries.AcknowledgeAsync(alertId, "dr.test", default);

        Assert.Equal(AcknowledgeStatus.Conflict, outcome.Status);
        Assert.Contains($"{AlertQueryService.MaxAttempts} times", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(AlertStatus.Open, Assert.Single(pipeline.Alerts.All()).Alert.Status);
    }

    /// <summary>An alert store where another writer always got there first: every ETag-checked update is refused.</summary>
    private sealed class AlwaysStale(IAlertStore inner) : IAlertStore
    {
        public Task<StoredAlert?> GetAsync(string patientId, string alertId, CancellationToken cancellationToken) => inner.GetAsync(patientId, alertId, cancellationToken);

        public Task<StoredAlert?> FindAsync(string alertId, CancellationToken cancellationToken) => inner.FindAsync(alertId, cancellationToken);

        public Task<bool> TryAddAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, CancellationToken cancellationToken) =>
            inner.TryAddAsync(alert, deliveries, cancellationToken);

        public Task<string?> TryUpdateAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, string etag, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(null);

        public Task<IReadOnlyList<StoredAlert>> ListForPatientAsync(string patientId, CancellationToken cancellationToken) =>
            inner.ListForPatientAsync(patientId, cancellationToken);

        public async IAsyncEnumerable<StoredAlert> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var row in inner.ListAsync(cancellationToken))
            {
                yield return row;
            }
        }
    }
}
