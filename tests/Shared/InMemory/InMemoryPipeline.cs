using System.Text;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Composition;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// The real Core services over the in-memory fakes of every port, on a <see cref="FakeTimeProvider"/>, driven stage by
/// stage as the triggers drive them (<see cref="InboundResultService"/>, <see cref="PatientEvaluationService"/>,
/// <see cref="AlertDispatchService"/>). Channels: <c>lab-alerts</c> (one delivery per event) and <c>email</c> (one per
/// recipient: the real <see cref="EmailAlertPublisher"/> composing mails into <see cref="EmailSender"/>), both recording
/// every publish and able to fail on demand. A handler's exception is thrown to the test (its message is consumed).
/// </summary>
public sealed class InMemoryPipeline : IAsyncDisposable, IDisposable
{
    /// <summary>The clock's start: day +35 of <see cref="DefaultInfusionDate"/>, before any monitoring window has closed.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2024, 10, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly DefaultInfusionDate = new(2024, 8, 27);

    public const string DefaultCareTeamEmail = "dr.test@hospital.example";

    /// <summary>Name of the event channel (the Service Bus topic; the <c>lab-alerts</c> queue locally).</summary>
    public const string LabAlertsChannel = "lab-alerts";

    /// <summary>Messages one stage handles in one run before it is taken for a loop.</summary>
    private const int MaxMessagesPerRun = 10_000;

    private const int MaxRounds = 100;

    private readonly ServiceProvider _services;

    /// <param name="settings">Configuration on top of the defaults (e.g. <c>Notifications:RetryDelay</c>, <c>Email:OnCall</c>).</param>
    /// <param name="start">Start of the fake clock (<see cref="DefaultStart"/> when null).</param>
    /// <param name="configure">Last word on the registrations (e.g. <c>services.Configure&lt;RulesOptions&gt;(…)</c>).</param>
    public InMemoryPipeline(IReadOnlyDictionary<string, string?>? settings = null, DateTimeOffset? start = null, Action<IServiceCollection>? configure = null)
    {
        Time = new FakeTimeProvider(start ?? DefaultStart);
        Queue = new InMemoryPipelineQueue(Time);
        LabAlerts = new InMemoryAlertPublisher(LabAlertsChannel, addressesRecipients: false, Time);

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddCarTLabPipelineCore(configuration);
        services.AddSingleton<ILabResultStore>(Results);
        services.AddSingleton<IPatientStore>(Patients);
        services.AddSingleton<IAlertStore>(Alerts);
        services.AddSingleton<IFileLedger>(Ledger);
        services.AddSingleton<ILabFileStore>(Files);
        services.AddSingleton<IPipelineQueue>(Queue);
        services.AddSingleton<Operations.IPipelineMonitor>(new InMemoryPipelineMonitor(Queue, Ledger));
        services.AddSingleton<IEmailSender>(EmailSender);
        services.AddSingleton<ITrendChartRenderer>(Charts);
        services.AddSingleton<EmailAlertPublisher>();
        services.AddSingleton<IAlertPublisher>(LabAlerts);
        services.AddSingleton<IAlertPublisher>(sp =>
            new InMemoryAlertPublisher(EmailAlertPublisher.ChannelName, addressesRecipients: true, Time, sp.GetRequiredService<EmailAlertPublisher>()));
        configure?.Invoke(services);

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _services.GetRequiredService<IStartupValidator>().Validate();
        Email = _services.GetServices<IAlertPublisher>().OfType<InMemoryAlertPublisher>().Single(p => p.Channel == EmailAlertPublisher.ChannelName);
    }

    public IServiceProvider Services => _services;

    public FakeTimeProvider Time { get; }

    public InMemoryLabResultStore Results { get; } = new();

    public InMemoryPatientStore Patients { get; } = new();

    public InMemoryAlertStore Alerts { get; } = new();

    public InMemoryFileLedger Ledger { get; } = new();

    public InMemoryLabFileStore Files { get; } = new();

    public InMemoryPipelineQueue Queue { get; }

    /// <summary>The <c>lab-alerts</c> channel (one delivery per alert event).</summary>
    public InMemoryAlertPublisher LabAlerts { get; }

    /// <summary>The <c>email</c> channel (one delivery per recipient), in front of the real <see cref="EmailAlertPublisher"/>.</summary>
    public InMemoryAlertPublisher Email { get; }

    /// <summary>The email transport behind the email channel: the composed mails.</summary>
    public InMemoryEmailSender EmailSender { get; } = new();

    public InMemoryTrendChartRenderer Charts { get; } = new();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// Enrolls through <see cref="EnrollmentService"/> (which queues an evaluation): infusion on
    /// <see cref="DefaultInfusionDate"/>, Europe/Rome, the care team given (<see cref="DefaultCareTeamEmail"/> when none).
    /// </summary>
    public Task<Enrollment> EnrollAsync(string patientId, params string[] careTeam) => EnrollAsync(new Enrollment
    {
        PatientId = patientId,
        InfusionDate = DefaultInfusionDate,
        Product = "brexu-cel",
        TimeZone = "Europe/Rome",
        CareTeam = careTeam.Length == 0
            ? [new CareTeamMember("Dr Test", DefaultCareTeamEmail)]
            : [.. careTeam.Select(e => new CareTeamMember("Member", e))],
    });

    public Task<Enrollment> EnrollAsync(Enrollment enrollment) => Get<EnrollmentService>().EnrollAsync(enrollment, CancellationToken.None);

    /// <summary>
    /// Puts result versions straight into the result store (as given: ids, version ids, arrival times) and queues one
    /// evaluation per patient, as ingestion does.
    /// </summary>
    public async Task StoreAsync(params LabResult[] results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var patient in results.GroupBy(r => r.PatientId, StringComparer.Ordinal))
        {
            await Results.UpsertAsync(patient.Key, [.. patient], CancellationToken.None);
            await Queue.SendAsync(PipelineNames.Queues.PatientEvaluations, new EvaluationRequest(patient.Key, EvaluationRequest.ReasonResults), null, CancellationToken.None);
        }
    }

    /// <summary>Posts one result as JSON on <c>lab-results-inbound</c> (run with <see cref="RunAsync"/>).</summary>
    public QueuedMessage Post(string json) => Queue.SendRaw(PipelineNames.Queues.LabResultsInbound, json);

    /// <summary>Uploads a lab file to the drop zone and ingests it, as the blob trigger does.</summary>
    public async Task<IngestionReport> DropAsync(string name, string content)
    {
        var source = await Files.UploadAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        return await Get<LabFileIngestionService>().IngestAsync(source, CancellationToken.None);
    }

    /// <summary>Handles the <c>lab-results-inbound</c> messages visible now, and those they make visible now. Returns how many.</summary>
    public Task<int> RunInboundAsync(CancellationToken cancellationToken = default) =>
        DrainAsync(PipelineNames.Queues.LabResultsInbound, (m, ct) => Get<InboundResultService>().HandleMessageAsync(m.Json, m.MessageId, ct), cancellationToken);

    /// <summary>Handles the <c>patient-evaluations</c> messages visible now. Returns how many.</summary>
    public Task<int> RunEvaluationsAsync(CancellationToken cancellationToken = default) =>
        DrainAsync(PipelineNames.Queues.PatientEvaluations, (m, ct) => Get<PatientEvaluationService>().HandleMessageAsync(m.Json, ct), cancellationToken);

    /// <summary>Handles the <c>alert-notifications</c> messages visible now (retries queued with a delay wait). Returns how many.</summary>
    public Task<int> RunDispatchAsync(CancellationToken cancellationToken = default) =>
        DrainAsync(PipelineNames.Queues.AlertNotifications, (m, ct) => Get<AlertDispatchService>().HandleMessageAsync(m.Json, ct), cancellationToken);

    /// <summary>
    /// Runs the inbound, evaluation and (when <paramref name="dispatch"/>) dispatch stages until none of their queues has a
    /// message visible now. The clock does not move: messages delayed for a retry stay. Returns how many were handled.
    /// </summary>
    public async Task<int> RunAsync(bool dispatch = true, CancellationToken cancellationToken = default)
    {
        var total = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var handled = await RunInboundAsync(cancellationToken)
                + await RunEvaluationsAsync(cancellationToken)
                + (dispatch ? await RunDispatchAsync(cancellationToken) : 0);
            if (handled == 0)
            {
                return total;
            }

            total += handled;
        }

        throw new InvalidOperationException($"the pipeline was still busy after {MaxRounds} rounds (a message loop?)");
    }

    /// <summary>
    /// Runs every stage, then moves the clock to the next delayed message on the work queues and runs again, until the
    /// work queues are empty; fails if that would take the clock further than <paramref name="within"/>. Returns how many
    /// messages were handled.
    /// </summary>
    public async Task<int> SettleAsync(TimeSpan within, CancellationToken cancellationToken = default)
    {
        var deadline = Time.GetUtcNow() + within;
        var total = await RunAsync(cancellationToken: cancellationToken);
        while (PipelineNames.Queues.Work.Select(Queue.NextVisibleAt).Where(t => t is not null).Min() is { } next)
        {
            if (next > deadline)
            {
                throw new TimeoutException($"the pipeline did not settle within {within}: a message waits until {next:o}");
            }

            Time.SetUtcNow(next);
            total += await RunAsync(cancellationToken: cancellationToken);
        }

        return total;
    }

    /// <summary>Messages waiting on the work queues (visible or not).</summary>
    public int Pending => PipelineNames.Queues.Work.Sum(Queue.Count);

    private async Task<int> DrainAsync(string queueName, Func<QueuedMessage, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        var count = 0;
        while (Queue.Receive(queueName, 1) is [var message])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (count == MaxMessagesPerRun)
            {
                throw new InvalidOperationException($"{queueName}: more than {MaxMessagesPerRun} messages in one run (a message loop?)");
            }

            await handle(message, cancellationToken);
            count++;
        }

        return count;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public void Dispose() => _services.Dispose();
}
