using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarTLabPipeline.Adapters.Tests;

/// <summary>
/// The real services over a real Azurite, driven stage by stage: messages are taken off the real queues and handed to
/// the same Core services the triggers call. The test assembly's one Azurite (<see cref="Contracts.AzuriteCollection"/>)
/// runs one test at a time, so a harness starts on empty queues: nothing a previous test left is dispatched, drained or
/// peeked by this one.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PipelineHarness(ServiceProvider services) => _services = services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public StorageClients Clients => Get<StorageClients>();

    public static async Task<PipelineHarness> CreateAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.StorageConnection] = connectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection().AddLogging().AddCarTLabPipeline(configuration).BuildServiceProvider(validateScopes: true);
        await services.GetRequiredService<StorageProvisioner>().ProvisionAsync(CancellationToken.None);
        var queues = services.GetRequiredService<StorageClients>().Queues;
        foreach (var name in PipelineNames.Queues.All.Concat(PipelineNames.Queues.Triggered.Select(q => q + PipelineNames.Queues.PoisonSuffix)))
        {
            await queues.GetQueueClient(name).ClearMessagesAsync();
        }

        return new PipelineHarness(services);
    }

    public Task<Enrollment> EnrollAsync(string patientId, params string[] careTeam) => Get<EnrollmentService>().EnrollAsync(new Enrollment
    {
        PatientId = patientId,
        InfusionDate = new DateOnly(2024, 8, 27),
        Product = "brexu-cel",
        TimeZone = "Europe/Rome",
        CareTeam = careTeam.Length == 0
            ? [new CareTeamMember("Dr Test", "dr.test@hospital.example")]
            : [.. careTeam.Select(e => new CareTeamMember("Member", e))],
    }, CancellationToken.None);

    public async Task<IngestionReport> DropAsync(string name, string content)
    {
        var source = await Get<ILabFileStore>().UploadAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        return await Get<LabFileIngestionService>().IngestAsync(source, CancellationToken.None);
    }

    /// <summary>Posts one result as JSON on lab-results-inbound.</summary>
    public Task PostAsync(string json) => Clients.Queues.GetQueueClient(PipelineNames.Queues.LabResultsInbound).SendMessageAsync(json);

    /// <summary>Runs the inbound, evaluation and dispatch stages until their queues are empty.</summary>
    public async Task DrainAsync(bool dispatch = true)
    {
        for (var round = 0; round < 20; round++)
        {
            var handled = await DrainQueueAsync(PipelineNames.Queues.LabResultsInbound, (m, id) => Get<InboundResultService>().HandleMessageAsync(m, id, CancellationToken.None))
                + await DrainQueueAsync(PipelineNames.Queues.PatientEvaluations, (m, _) => Get<PatientEvaluationService>().HandleMessageAsync(m, CancellationToken.None))
                + (dispatch ? await DispatchVisibleAsync() : 0);
            if (handled == 0)
            {
                return;
            }
        }
    }

    /// <summary>Runs the dispatch stage on the notification messages visible now (one pass).</summary>
    public Task<int> DispatchVisibleAsync(int max = int.MaxValue) =>
        DrainQueueAsync(PipelineNames.Queues.AlertNotifications, (m, _) => Get<AlertDispatchService>().HandleMessageAsync(m, CancellationToken.None), max);

    /// <summary>
    /// Drains every stage until no message is left on the work queues, including messages delayed for a retry.
    /// </summary>
    public async Task SettleAsync(TimeSpan timeout)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout)
        {
            await DrainAsync();
            var left = 0;
            foreach (var queue in PipelineNames.Queues.Work)
            {
                left += (await Clients.Queues.GetQueueClient(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            if (left == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the pipeline did not settle within {timeout}");
    }

    /// <summary>The envelopes on the local lab-alerts queue for one patient (peeked: left in place; peek sees up to 32).</summary>
    public async Task<List<JsonElement>> PeekLabAlertsAsync(string patientId)
    {
        var messages = await Clients.Queues.GetQueueClient(PipelineNames.Queues.LabAlerts).PeekMessagesAsync(32);
        return messages.Value
            .Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.Clone())
            .Where(e => e.GetProperty("applicationProperties").GetProperty("patientId").GetString() == patientId)
            .ToList();
    }

    private async Task<int> DrainQueueAsync(string name, Func<string, string, Task> handle, int max = int.MaxValue)
    {
        QueueClient queue = Clients.Queues.GetQueueClient(name);
        var count = 0;
        while (count < max)
        {
            var batch = (await queue.ReceiveMessagesAsync(Math.Min(16, max - count), TimeSpan.FromSeconds(30))).Value;
            if (batch.Length == 0)
            {
                return count;
            }

            foreach (var message in batch)
            {
                await handle(message.Body.ToString(), message.MessageId);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                count++;
            }
        }

        return count;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
