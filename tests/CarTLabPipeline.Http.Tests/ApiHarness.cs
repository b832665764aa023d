using System.Net.Http.Headers;
using System.Text;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarTLabPipeline.Http.Tests;

/// <summary>
/// The real pipeline services over the test Azurite, and the HTTP API served by <see cref="HttpApiServer"/> on free
/// loopback ports twice: with the development identity (as <c>cartlab serve</c>) and with Easy Auth headers (as in Azure).
/// </summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ApiHarness(ServiceProvider services, HttpApiServer development, HttpApiServer easyAuth)
    {
        _services = services;
        Development = development;
        EasyAuth = easyAuth;
        Client = new HttpClient { BaseAddress = development.Address };
        Anonymous = new HttpClient { BaseAddress = easyAuth.Address };
    }

    public HttpApiServer Development { get; }

    public HttpApiServer EasyAuth { get; }

    /// <summary>A client signed in with the development identity.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of the Easy Auth server without any principal header: nobody signed in.</summary>
    public HttpClient Anonymous { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<ApiHarness> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.StorageConnection] = connectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection().AddLogging().AddCarTLabPipeline(configuration).BuildServiceProvider();
        await services.GetRequiredService<StorageProvisioner>().ProvisionAsync(CancellationToken.None);
        var development = await HttpApiServer.StartAsync(() => services, new HttpApiOptions { Port = 0, Identity = IdentitySource.Development }, null, CancellationToken.None);
        var easyAuth = await HttpApiServer.StartAsync(() => services, new HttpApiOptions { Port = 0, Identity = IdentitySource.EasyAuth }, null, CancellationToken.None);
        return new ApiHarness(services, development, easyAuth);
    }

    /// <summary>A client of the Easy Auth server signed in as <paramref name="name"/> (the platform's header).</summary>
    public HttpClient SignedInAs(string name)
    {
        var client = new HttpClient { BaseAddress = EasyAuth.Address };
        client.DefaultRequestHeaders.Add(SignedInUser.PrincipalNameHeader, name);
        return client;
    }

    public static string Enrollment(string patientId) => $$"""
        {"patientId":"{{patientId}}","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Europe/Rome",
         "careTeam":[{"name":"Dr Test","email":"dr.test@hospital.example"}]}
        """;

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Enrolls the patient, stores an IgG series whose last value (241 mg/dL, day +91) raises <c>igg.low</c>, evaluates.</summary>
    public async Task<string> PatientWithIgGAlertAsync(string patientId)
    {
        var enrolled = await Client.PostAsync("api/patients", JsonBody(Enrollment(patientId)));
        enrolled.EnsureSuccessStatusCode();
        var csv = $"""
            patient_id,collected_at,analyte,value,unit,accession
            {patientId},2024-08-22T08:00:00+02:00,igg,452,mg/dL,A-1
            {patientId},2024-09-24T08:00:00+02:00,igg,2.8,g/L,A-2
            {patientId},2024-11-26T08:00:00+01:00,igg,241,mg/dL,A-3
            """;
        var source = await Get<ILabFileStore>().UploadAsync($"lab-a/{patientId}.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
        await Get<LabFileIngestionService>().IngestAsync(source, CancellationToken.None);
        var outcome = await Get<PatientEvaluationService>().EvaluateAsync(patientId, CancellationToken.None);
        return (await Get<IAlertStore>().ListForPatientAsync(patientId, CancellationToken.None)).Single(a => a.Alert.RuleId == "igg.low").Alert.AlertId;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await Development.DisposeAsync();
        await EasyAuth.DisposeAsync();
        await _services.DisposeAsync();
    }
}
