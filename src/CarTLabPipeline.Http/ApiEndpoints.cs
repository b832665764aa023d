using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Http;

/// <summary>
/// The one implementation of every route of the HTTP API (docs/design.md §8a). Each handler takes typed inputs, makes one
/// Core call and maps the outcome to a status: JSON in the alert contract's shape (<see cref="PipelineJson"/>), or
/// problem details (400/401/404/409/415). The Functions triggers and <c>cartlab serve</c> only bind and call these.
/// </summary>
public sealed class ApiEndpoints(
    EnrollmentService enrollment,
    IPatientStore patients,
    AlertQueryService alerts,
    IAlertStore alertStore,
    ResultQueryService resultViews,
    PatientTimelineService timelines,
    PipelineStatusService pipelineStatus,
    IOptions<HttpApiOptions> options)
{
    /// <summary>
    /// Runs <paramref name="handler"/> for the signed-in user of <paramref name="context"/>, or answers 401 when nobody is
    /// signed in. Every route but <c>health</c> goes through here.
    /// </summary>
    public Task<IResult> SignedInAsync(HttpContext context, Func<SignedInUser, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SignedInUser.Of(context, options.Value) is { } user ? handler(user) : Task.FromResult(ApiProblems.SignInRequired());
    }

    /// <summary>The signed-in user, for the workspace's label (<c>GET /api/me</c>).</summary>
    public static IResult Me(SignedInUser user) => Json(new { name = user?.Name, development = user?.Development ?? false });

    /// <summary><c>POST /api/patients</c>: enroll a patient or update the enrollment (docs/design.md §4 document).</summary>
    public async Task<IResult> EnrollPatientAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        try
        {
            var stored = await enrollment.EnrollAsync(EnrollmentService.Parse(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)), cancellationToken)
                .ConfigureAwait(false);
            return Json(stored);
        }
        catch (EnrollmentValidationException ex)
        {
            return ApiProblems.Invalid(ex.Errors, ex.Message);
        }
    }

    /// <summary><c>GET /api/patients/{id}</c>: the enrollment with its events.</summary>
    public async Task<IResult> GetPatientAsync(string id, CancellationToken cancellationToken) =>
        await patients.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } found ? Json(found) : ApiProblems.NotEnrolled(id);

    /// <summary>
    /// <c>POST /api/patients/{id}/events</c> (body <c>{"kind":"crs","date":"2024-08-29","grade":2}</c>): 201 when added, 200
    /// when the same event was already recorded (or updated its grade/note), 404 when the patient is not enrolled, 400
    /// when invalid. The patient is re-evaluated as after an enrollment.
    /// </summary>
    public async Task<IResult> AddPatientEventAsync(string id, string? contentType, Stream body, CancellationToken cancellationToken)
    {
        var (read, problem) = await ReadJsonAsync<TreatmentEvent>(contentType, body, "event", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (read is null)
        {
            return ApiProblems.Invalid([new ValidationResult("the event document is empty", ["event"])], "invalid event");
        }

        try
        {
            return await enrollment.AddEventAsync(id, read, cancellationToken).ConfigureAwait(false) switch
            {
                null => ApiProblems.NotEnrolled(id),
                { Outcome: EventAddOutcome.Added } added => Json(added.Event, StatusCodes.Status201Created),
                var present => Json(present.Event),
            };
        }
        catch (EnrollmentValidationException ex)
        {
            return ApiProblems.Invalid(ex.Errors, ex.Message);
        }
    }

    /// <summary>
    /// <c>GET /api/patients/{id}/results[?versions=true]</c>: the record in collection order and where every value came
    /// from (<see cref="PatientResultsView"/>).
    /// </summary>
    public async Task<IResult> GetPatientResultsAsync(string id, string? versionsText, CancellationToken cancellationToken)
    {
        var versions = false;
        if (!string.IsNullOrEmpty(versionsText) && !bool.TryParse(versionsText, out versions))
        {
            return ApiProblems.Of(StatusCodes.Status400BadRequest, "Invalid versions", $"versions must be true or false, not '{versionsText}'");
        }

        var query = await resultViews.GetAsync(id, versions, cancellationToken).ConfigureAwait(false);
        return query.Value is { } view ? Json(view) : ApiProblems.NoAnswer(query);
    }

    /// <summary><c>GET /api/patients/{id}/timeline.png</c>: the followed analytes against days since infusion, with the rule thresholds.</summary>
    public async Task<IResult> GetPatientTimelinePngAsync(string id, CancellationToken cancellationToken)
    {
        var query = await timelines.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (query.Value is not { } timeline)
        {
            return ApiProblems.NoAnswer(query);
        }

        return timelines.RenderPng(timeline) is { } png
            ? TypedResults.File(png, "image/png")
            : ApiProblems.Of(StatusCodes.Status404NotFound, "No results yet", $"patient {id} has no result of a followed analyte");
    }

    /// <summary>
    /// <c>GET /api/patients/{id}/timeline</c>: the timeline as data for the workspace's patient page
    /// (<see cref="TimelineView"/>: series with censored and superseded values, thresholds, events, alerts); 404 when not
    /// enrolled, 409 when the record is too large to read.
    /// </summary>
    public async Task<IResult> GetPatientTimelineAsync(string id, CancellationToken cancellationToken)
    {
        var query = await timelines.GetViewAsync(id, cancellationToken).ConfigureAwait(false);
        return query.Value is { } view ? Json(view) : ApiProblems.NoAnswer(query);
    }

    /// <summary><c>GET /api/analytes</c>: the analyte catalogue (keyword, display name, unit), so that pages name analytes as clinicians do.</summary>
    public static IResult Analytes() =>
        Json(AnalyteCatalog.All.Select(a => new { keyword = a.Keyword, name = a.DisplayName, unit = a.DisplayUnit }).ToList());

    /// <summary><c>GET /api/alerts[?status=open|acknowledged|retracted]</c>: all alerts without it, newest first.</summary>
    public async Task<IResult> ListAlertsAsync(string? statusText, CancellationToken cancellationToken)
    {
        AlertStatus? status = null;
        if (!string.IsNullOrEmpty(statusText))
        {
            if (!Enum.TryParse<AlertStatus>(statusText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(statusText, out _))
            {
                return ApiProblems.Of(StatusCodes.Status400BadRequest, "Unknown status", $"status must be open, acknowledged or retracted, not '{statusText}'");
            }

            status = parsed;
        }

        return Json(await alerts.ListAsync(status, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /api/alerts/{id}</c>: one alert (the §5 object, with its escalations), 404 when unknown.</summary>
    public async Task<IResult> GetAlertAsync(string id, CancellationToken cancellationToken) =>
        await alertStore.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } row ? Json(row.Alert) : ApiProblems.NoAlert(id);

    /// <summary>
    /// <c>GET /api/alerts/{id}/chart.png</c>: the alert's trend chart as of the alert (the one its email carries); 404 when
    /// unknown, when the alert rests on no result, or when the patient's record is too large to read
    /// (<c>Evaluation__MaxRecordVersions</c>; the problem's detail says which).
    /// </summary>
    public async Task<IResult> GetAlertChartPngAsync(string id, CancellationToken cancellationToken)
    {
        if (await alertStore.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return ApiProblems.NoAlert(id);
        }

        var alert = row.Alert;
        if (await patients.GetAsync(alert.PatientId, cancellationToken).ConfigureAwait(false) is not { } enrolled)
        {
            return NoChart<byte[]>(id);
        }

        var chart = await timelines.RenderAlertPngAsync(alert, enrolled, cancellationToken).ConfigureAwait(false);
        return chart.Chart is { } png ? TypedResults.File(png, "image/png") : NoChart(id, chart);
    }

    /// <summary>
    /// <c>GET /api/alerts/{id}/chart</c>: the same chart as <c>chart.png</c>, as of the alert, as data for the browser to draw
    /// (<see cref="TimelineView"/> with one series); 404 when unknown, when the alert rests on no result, or when the
    /// patient's record is too large to read (the problem's detail says which).
    /// </summary>
    public async Task<IResult> GetAlertChartAsync(string id, CancellationToken cancellationToken)
    {
        if (await alertStore.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return ApiProblems.NoAlert(id);
        }

        if (await patients.GetAsync(row.Alert.PatientId, cancellationToken).ConfigureAwait(false) is not { } enrolled)
        {
            return NoChart<TimelineView>(id);
        }

        var chart = await timelines.GetAlertViewAsync(row.Alert, enrolled, cancellationToken).ConfigureAwait(false);
        return chart.Chart is { } view ? Json(view) : NoChart(id, chart);
    }

    private static IResult NoChart<T>(string id, AlertChart<T>? chart = null)
        where T : class =>
        ApiProblems.Of(StatusCodes.Status404NotFound, "No chart",
            chart is { RecordTooLarge: true } ? $"alert {id}: {chart.NotDrawn}" : $"alert {id} rests on no result of a followed analyte");

    /// <summary>
    /// <c>POST /api/alerts/{id}/ack</c> (body <c>{"note":"…"}</c> or <c>{}</c>, <c>application/json</c>): acknowledge as
    /// <paramref name="user"/> — who and when come from the sign-in and the server's clock, a <c>by</c> in the body is
    /// ignored. 200 with the alert, 400 for a note over the limit, 404, 409 when retracted or contended.
    /// </summary>
    public async Task<IResult> AcknowledgeAlertAsync(string id, SignedInUser user, string? contentType, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (read, problem) = await ReadJsonAsync<AcknowledgementBody>(contentType, body, "acknowledgement", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (read?.Note?.Trim().Length > AlertQueryService.MaxNoteLength)
        {
            return ApiProblems.Invalid([new ValidationResult($"the note may have at most {AlertQueryService.MaxNoteLength} characters", ["note"])], "invalid acknowledgement");
        }

        var outcome = await alerts.AcknowledgeAsync(id, user.Name, cancellationToken, read?.Note).ConfigureAwait(false);
        return outcome.Status switch
        {
            AcknowledgeStatus.Acknowledged => Json(outcome.Alert),
            AcknowledgeStatus.NotFound => ApiProblems.Of(StatusCodes.Status404NotFound, "No such alert", outcome.Detail),
            AcknowledgeStatus.Retracted => ApiProblems.Of(StatusCodes.Status409Conflict, "Alert retracted", outcome.Detail),
            _ => ApiProblems.Of(StatusCodes.Status409Conflict, "Alert changed concurrently", outcome.Detail),
        };
    }

    /// <summary>
    /// <c>GET /api/health</c>: anonymous, 200 when storage answers, 503 with what it said otherwise; with
    /// <c>?detail=true</c> (signed in, see <see cref="ApiRoutes"/>) the pipeline's status too, 503 when something needs a person.
    /// </summary>
    public async Task<IResult> HealthAsync(bool detail, CancellationToken cancellationToken)
    {
        var health = await pipelineStatus.CheckHealthAsync(detail, cancellationToken).ConfigureAwait(false);
        return Json(health, health.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// <c>GET /api/status</c>: queues, poison queues, last file per lab, rejected and stuck files, failed deliveries. 200
    /// when nothing needs a person, 503 with the same body otherwise (for availability probes).
    /// </summary>
    public async Task<IResult> StatusAsync(CancellationToken cancellationToken)
    {
        var status = await pipelineStatus.GetAsync(cancellationToken).ConfigureAwait(false);
        return Json(status, status.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The acknowledgement's body: an optional note (a <c>by</c> is not read).</summary>
    private sealed record AcknowledgementBody(string? Note);

    private static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(value, PipelineJson.Options, contentType: "application/json; charset=utf-8", statusCode: status);

    /// <summary>
    /// A JSON body: 415 unless the request says <c>application/json</c> (so a plain HTML form on another site cannot post
    /// to a signed-in workspace), 400 when the JSON does not parse.
    /// </summary>
    private static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(string? contentType, Stream body, string member, CancellationToken ct)
        where T : class
    {
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.Of(StatusCodes.Status415UnsupportedMediaType, "JSON required",
                $"the body must be application/json, not '{contentType ?? "nothing"}'"));
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(body, PipelineJson.Options, ct).ConfigureAwait(false), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.Invalid([new ValidationResult($"not a valid {member} JSON document: {ex.Message}", [member])], $"invalid {member}"));
        }
    }
}
