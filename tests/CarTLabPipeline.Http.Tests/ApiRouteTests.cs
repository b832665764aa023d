using System.Net;
using System.Text.Json;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Http.Tests;

/// <summary>
/// Every route of the HTTP API over real Azurite, through Kestrel: status codes, problem details and sign-in. The same
/// <see cref="ApiEndpoints"/> serve the Functions triggers (their bindings are checked by the metadata tests).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ApiRouteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string NewPatient() => "PT-API-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Health_IsAnonymous_200WhenStorageAnswers()
    {
        var health = await JsonAsync(await _api.Anonymous.GetAsync("api/health"));

        Assert.Equal(("healthy", "ok"), (health.GetProperty("status").GetString(), health.GetProperty("storage").GetString()));
        Assert.False(health.TryGetProperty("pipeline", out _)); // the detail is for signed-in ops only
    }

    [Fact]
    public async Task HealthDetail_NeedsSignIn_ThenCarriesThePipelineStatus()
    {
        var anonymous = await _api.Anonymous.GetAsync("api/health?detail=true");
        var response = await _api.Client.GetAsync("api/health?detail=true");

        await ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var pipeline = health.GetProperty("pipeline");
        Assert.Equal(response.StatusCode == HttpStatusCode.OK, pipeline.GetProperty("healthy").GetBoolean());
        Assert.Equal(PipelineNames.Queues.Triggered.Count, pipeline.GetProperty("queues").GetArrayLength());
        Assert.True(pipeline.TryGetProperty("escalationsPending", out _));
    }

    [Theory]
    [InlineData("GET", "api/me")]
    [InlineData("GET", "api/status")]
    [InlineData("POST", "api/patients")]
    [InlineData("GET", "api/patients/PT-X")]
    [InlineData("POST", "api/patients/PT-X/events")]
    [InlineData("GET", "api/patients/PT-X/results")]
    [InlineData("GET", "api/patients/PT-X/timeline.png")]
    [InlineData("GET", "api/patients/PT-X/timeline")]
    [InlineData("GET", "api/analytes")]
    [InlineData("GET", "api/alerts")]
    [InlineData("POST", "api/alerts/A-X/ack")]
    [InlineData("GET", "api/alerts/A-X")]
    [InlineData("GET", "api/alerts/A-X/chart.png")]
    [InlineData("GET", "api/alerts/A-X/chart")]
    public async Task EveryRouteButHealth_WithoutSignIn_Is401Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? ApiHarness.JsonBody("{}") : null };

        var problem = await ProblemAsync(await _api.Anonymous.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Contains("signed-in", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Me_EasyAuthPrincipal_IsTheUser_DevelopmentIdentityIsLabelled()
    {
        using var signedIn = _api.SignedInAs("dr.who@hospital.example");

        var easy = await JsonAsync(await signedIn.GetAsync("api/me"));
        var dev = await JsonAsync(await _api.Client.GetAsync("api/me"));

        Assert.Equal(("dr.who@hospital.example", false), (easy.GetProperty("name").GetString(), easy.GetProperty("development").GetBoolean()));
        Assert.Equal((HttpApiOptions.DefaultDevelopmentUser, true), (dev.GetProperty("name").GetString(), dev.GetProperty("development").GetBoolean()));
    }

    [Fact]
    public async Task EnrollPatient_Valid200_Invalid400WithErrorsByMember()
    {
        var id = NewPatient();

        var stored = await JsonAsync(await _api.Client.PostAsync("api/patients", ApiHarness.JsonBody(ApiHarness.Enrollment(id))));
        var problem = await ProblemAsync(await _api.Client.PostAsync("api/patients", ApiHarness.JsonBody($$"""{"patientId":"{{id}}"}""")), HttpStatusCode.BadRequest);

        Assert.Equal(id, stored.GetProperty("patientId").GetString());
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
    }

    [Fact]
    public async Task GetPatient_Enrolled200_Unknown404Problem()
    {
        var id = NewPatient();
        await _api.Client.PostAsync("api/patients", ApiHarness.JsonBody(ApiHarness.Enrollment(id)));

        var found = await JsonAsync(await _api.Client.GetAsync($"api/patients/{id}"));
        var problem = await ProblemAsync(await _api.Client.GetAsync($"api/patients/{NewPatient()}"), HttpStatusCode.NotFound);

        Assert.Equal("brexu-cel", found.GetProperty("product").GetString());
        Assert.Equal("Patient not enrolled", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AddPatientEvent_201Added_200Again_404Unknown_400Invalid_415NotJson()
    {
        var id = NewPatient();
        await _api.Client.PostAsync("api/patients", ApiHarness.JsonBody(ApiHarness.Enrollment(id)));
        const string Crs = """{"kind":"crs","date":"2024-08-29","grade":2}""";

        var added = await _api.Client.PostAsync($"api/patients/{id}/events", ApiHarness.JsonBody(Crs));
        var again = await _api.Client.PostAsync($"api/patients/{id}/events", ApiHarness.JsonBody(Crs));
        var unknown = await _api.Client.PostAsync($"api/patients/{NewPatient()}/events", ApiHarness.JsonBody(Crs));
        var invalid = await _api.Client.PostAsync($"api/patients/{id}/events", ApiHarness.JsonBody("""{"kind":"crs","date":"2024-08-29","grade":7}"""));
        var notJson = await _api.Client.PostAsync($"api/patients/{id}/events", ApiHarness.JsonBody("{kind"));
        var form = await _api.Client.PostAsync($"api/patients/{id}/events", new StringContent(Crs, System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal("crs", (await JsonAsync(added, HttpStatusCode.Created)).GetProperty("kind").GetString());
        await JsonAsync(again);
        await ProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAsync(invalid, HttpStatusCode.BadRequest);
        await ProblemAsync(notJson, HttpStatusCode.BadRequest);
        await ProblemAsync(form, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task GetPatientResults_200WithVersions_400BadFlag_404Unknown()
    {
        var id = NewPatient();
        await _api.PatientWithIgGAlertAsync(id);

        var view = await JsonAsync(await _api.Client.GetAsync($"api/patients/{id}/results?versions=true"));
        await ProblemAsync(await _api.Client.GetAsync($"api/patients/{id}/results?versions=maybe"), HttpStatusCode.BadRequest);
        await ProblemAsync(await _api.Client.GetAsync($"api/patients/{NewPatient()}/results"), HttpStatusCode.NotFound);

        Assert.Equal(3, view.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task GetPatientTimelinePng_200Png_404NoResults_404Unknown()
    {
        var id = NewPatient();
        var empty = NewPatient();
        await _api.PatientWithIgGAlertAsync(id);
        await _api.Client.PostAsync("api/patients", ApiHarness.JsonBody(ApiHarness.Enrollment(empty)));

        var png = await _api.Client.GetAsync($"api/patients/{id}/timeline.png");
        var none = await ProblemAsync(await _api.Client.GetAsync($"api/patients/{empty}/timeline.png"), HttpStatusCode.NotFound);
        await ProblemAsync(await _api.Client.GetAsync($"api/patients/{NewPatient()}/timeline.png"), HttpStatusCode.NotFound);

        Assert.Equal((HttpStatusCode.OK, "image/png"), (png.StatusCode, png.Content.Headers.ContentType?.MediaType));
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await png.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal("No results yet", none.GetProperty("title").GetString());
    }

    [Fact]
    public async Task GetPatientTimeline_200CensoredSupersededAndAlerts_404Unknown()
    {
        var id = NewPatient();
        var alertId = await _api.PatientWithIgGAlertAsync(id);
        // A censored MRD, and a correction of the day +28 IgG (2.8 → 3.1 g/L): the page must see both versions.
        var csv = $"""
            patient_id,collected_at,analyte,value,unit,specimen,status,accession,sensitivity
            {id},2024-09-24T08:15:00+02:00,mrd,<0.01,%,bone marrow,final,M-1,1e-4
            {id},2024-09-24T08:00:00+02:00,igg,3.1,g/L,serum,corrected,A-2,
            """;
        var source = await _api.Get<Ingestion.ILabFileStore>().UploadAsync($"lab-a/{id}-fix.csv", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), default);
        await _api.Get<Ingestion.LabFileIngestionService>().IngestAsync(source, default);

        var view = await JsonAsync(await _api.Client.GetAsync($"api/patients/{id}/timeline"));
        await ProblemAsync(await _api.Client.GetAsync($"api/patients/{NewPatient()}/timeline"), HttpStatusCode.NotFound);

        var series = view.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("analyte").GetString()!);
        Assert.Equal(["mrd", "igg"], series.Keys);
        Assert.True(series["mrd"].GetProperty("logScale").GetBoolean());
        var mrd = Assert.Single(series["mrd"].GetProperty("points").EnumerateArray());
        Assert.Equal((28, 0.01, true), (mrd.GetProperty("day").GetInt32(), mrd.GetProperty("value").GetDouble(), mrd.GetProperty("censored").GetBoolean()));
        var igg = series["igg"].GetProperty("points").EnumerateArray()
            .Select(p => (Day: p.GetProperty("day").GetInt32(), Value: p.GetProperty("value").GetDouble(), Corrected: p.GetProperty("corrected").GetBoolean(), Superseded: p.GetProperty("superseded").GetBoolean()))
            .ToList();
        Assert.Equal([(-5, 452, false, false), (28, 310, true, false), (91, 241, false, false), (28, 280, false, true)], igg);
        Assert.Equal(300, series["igg"].GetProperty("threshold").GetProperty("value").GetDouble());
        // igg.low is raised by the first value under 300 mg/dL (day +28) and marked there.
        var alert = Assert.Single(view.GetProperty("alerts").EnumerateArray());
        Assert.Equal((alertId, 28, "igg"), (alert.GetProperty("alertId").GetString(), alert.GetProperty("day").GetInt32(), alert.GetProperty("analyte").GetString()));
        Assert.Equal("infusion", view.GetProperty("dayZeroLabel").GetString());
    }

    [Fact]
    public async Task GetAlertChart_200AsOfTheAlert_404Unknown()
    {
        var id = NewPatient();
        var alertId = await _api.PatientWithIgGAlertAsync(id);

        var view = await JsonAsync(await _api.Client.GetAsync($"api/alerts/{alertId}/chart"));
        await ProblemAsync(await _api.Client.GetAsync("api/alerts/no-such-alert/chart"), HttpStatusCode.NotFound);

        var series = Assert.Single(view.GetProperty("series").EnumerateArray());
        Assert.Equal(("igg", 300), (series.GetProperty("analyte").GetString(), series.GetProperty("threshold").GetProperty("value").GetDouble()));
        // As of the alert (raised on day +28): the day +91 value, collected later, is not on its chart.
        Assert.Equal([-5, 28], series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("day").GetInt32()));
        var flag = Assert.Single(view.GetProperty("alerts").EnumerateArray());
        Assert.Equal((alertId, 28, "warning"), (flag.GetProperty("alertId").GetString(), flag.GetProperty("day").GetInt32(), flag.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task OfARecordOverTheLimit_TheAlertChart404_AndThePatientViews409_SayingWhy_WithoutReadingIt()
    {
        await using var api = await ApiHarness.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Evaluation:MaxRecordVersions"] = "1000" });
        var id = NewPatient();
        var alertId = await api.PatientWithIgGAlertAsync(id);
        // Then a misrouted feed: 1,000 more IgG results for the patient (1,003 on record).
        var at = new DateTimeOffset(2024, 8, 28, 8, 0, 0, TimeSpan.FromHours(2));
        await api.Get<ILabResultStore>().UpsertAsync(id, [.. Enumerable.Range(0, 1_000).Select(i => new LabResult
        {
            ResultId = ResultIds.ForResult(id, Analyte.IgG, at.AddMinutes(i)),
            VersionId = "v1",
            PatientId = id,
            Analyte = Analyte.IgG,
            Loinc = "2465-3",
            Value = 500,
            Unit = "mg/dL",
            OriginalValue = "500",
            OriginalUnit = "mg/dL",
            CollectedAt = at.AddMinutes(i),
            Status = ResultStatus.Final,
            SourceFile = "feed/device.csv",
        })], CancellationToken.None);

        var view = await ProblemAsync(await api.Client.GetAsync($"api/alerts/{alertId}/chart"), HttpStatusCode.NotFound);
        var png = await ProblemAsync(await api.Client.GetAsync($"api/alerts/{alertId}/chart.png"), HttpStatusCode.NotFound);

        var detail = $"alert {alertId}: the patient's record holds more than 1,000 results (Evaluation__MaxRecordVersions): it is not read, and no chart is drawn from it";
        Assert.Equal(("No chart", detail), (view.GetProperty("title").GetString(), view.GetProperty("detail").GetString()));
        Assert.Equal(detail, png.GetProperty("detail").GetString());
        var tooLarge = $"Patient {id} has more than 1,000 results on record (Evaluation__MaxRecordVersions): the record is not read, so nothing is shown " +
            "from it and the patient is not evaluated; if the record is real, raise the setting and run cartlab monitor, if not, stop the feed that " +
            "sent it (the evaluation.record-too-large ops alert says how to find its files)";
        foreach (var route in new[] { "results", "results?versions=true", "timeline", "timeline.png" })
        {
            var problem = await ProblemAsync(await api.Client.GetAsync($"api/patients/{id}/{route}"), HttpStatusCode.Conflict);
            Assert.Equal(("Record too large", tooLarge), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        }
    }

    [Fact]
    public async Task Analytes_NameEveryKeywordAsClinicians()
    {
        var list = await JsonAsync(await _api.Client.GetAsync("api/analytes"));

        var igg = Assert.Single(list.EnumerateArray(), a => a.GetProperty("keyword").GetString() == "igg");
        Assert.Equal("IgG", igg.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ListAlerts_ByStatus200_UnknownStatus400()
    {
        var id = NewPatient();
        var alertId = await _api.PatientWithIgGAlertAsync(id);

        var open = await JsonAsync(await _api.Client.GetAsync("api/alerts?status=open"));
        var acknowledged = await JsonAsync(await _api.Client.GetAsync("api/alerts?status=acknowledged"));
        await ProblemAsync(await _api.Client.GetAsync("api/alerts?status=closed"), HttpStatusCode.BadRequest);
        await ProblemAsync(await _api.Client.GetAsync("api/alerts?status=1"), HttpStatusCode.BadRequest);

        Assert.Contains(open.EnumerateArray(), a => a.GetProperty("alertId").GetString() == alertId);
        Assert.DoesNotContain(acknowledged.EnumerateArray(), a => a.GetProperty("alertId").GetString() == alertId);
    }

    [Fact]
    public async Task AcknowledgeAlert_RecordsTheSignedInUser_NeverTheBody_404Unknown()
    {
        var alertId = await _api.PatientWithIgGAlertAsync(NewPatient());
        using var signedIn = _api.SignedInAs("dr.real@hospital.example");

        await ProblemAsync(await signedIn.PostAsync($"api/alerts/{alertId}/ack", ApiHarness.JsonBody($$"""{"note":"{{new string('x', 1001)}}"}""")), HttpStatusCode.BadRequest);
        await ProblemAsync(await signedIn.PostAsync($"api/alerts/{alertId}/ack", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        var acked = await JsonAsync(await signedIn.PostAsync($"api/alerts/{alertId}/ack", ApiHarness.JsonBody("""{"by":"someone else","note":"IVIG booked"}""")));
        await ProblemAsync(await signedIn.PostAsync("api/alerts/no-such-alert/ack", ApiHarness.JsonBody("{}")), HttpStatusCode.NotFound);

        Assert.Equal("acknowledged", acked.GetProperty("status").GetString());
        Assert.Equal("IVIG booked", acked.GetProperty("acknowledgementNote").GetString());
        Assert.Equal("dr.real@hospital.example", acked.GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task GetAlert_200TheAlert_404Unknown_ChartPng200_404Unknown()
    {
        var alertId = await _api.PatientWithIgGAlertAsync(NewPatient());

        var alert = await JsonAsync(await _api.Client.GetAsync($"api/alerts/{alertId}"));
        var chart = await _api.Client.GetAsync($"api/alerts/{alertId}/chart.png");
        await ProblemAsync(await _api.Client.GetAsync("api/alerts/no-such-alert"), HttpStatusCode.NotFound);
        await ProblemAsync(await _api.Client.GetAsync("api/alerts/no-such-alert/chart.png"), HttpStatusCode.NotFound);

        Assert.Equal(("igg.low", 0), (alert.GetProperty("ruleId").GetString(), alert.GetProperty("escalations").GetArrayLength()));
        Assert.Equal((HttpStatusCode.OK, "image/png"), (chart.StatusCode, chart.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task Workspace_ServesThePageForEveryAppPath_AndItsAssets()
    {
        var inbox = await _api.Client.GetAsync("app/");
        var alertPage = await _api.Client.GetAsync("app/alerts/some-alert-id");
        var script = await _api.Client.GetAsync("app/assets/app.js");
        var missing = await _api.Client.GetAsync("app/assets/nothing.js");
        var patientPage = await _api.Client.GetAsync("app/patients/PT-X");
        var chartLibrary = await _api.Client.GetAsync("app/assets/chart.umd.min.js");
        var licence = await _api.Client.GetAsync("app/assets/chart.js-LICENSE.md");

        Assert.Equal(("text/html", "text/html"), (inbox.Content.Headers.ContentType?.MediaType, alertPage.Content.Headers.ContentType?.MediaType));
        Assert.Contains("<meta charset=\"utf-8\">", await alertPage.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.OK, "text/javascript"), (script.StatusCode, script.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("/app/assets/patient.js", await patientPage.Content.ReadAsStringAsync());
        // Chart.js ships inside the assembly (no network at run time), with its licence beside it.
        Assert.Equal((HttpStatusCode.OK, "text/javascript"), (chartLibrary.StatusCode, chartLibrary.Content.Headers.ContentType?.MediaType));
        Assert.Contains("Chart.js", await chartLibrary.Content.ReadAsStringAsync());
        Assert.Contains("MIT", await licence.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Status_200Or503_WithTheStatusObject()
    {
        var response = await _api.Client.GetAsync("api/status");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(response.StatusCode == HttpStatusCode.OK, status.GetProperty("healthy").GetBoolean());
    }
}
