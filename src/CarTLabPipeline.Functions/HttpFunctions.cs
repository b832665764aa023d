using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CarTLabPipeline.Functions;

/// <summary>
/// The HTTP API (ASP.NET Core integration). Function-level keys on everything but <c>/api/health</c>. Each function maps
/// the request to one Core call and the outcome to a status: 400/404/409 with a problem-details body.
/// </summary>
public sealed class HttpFunctions(
    EnrollmentService enrollment,
    IPatientStore patients,
    ILabResultStore results,
    AlertQueryService alerts,
    ResultQueryService resultViews,
    ITrendChartRenderer charts,
    StorageClients storage,
    RuleEngine rules,
    Operations.PipelineStatusService pipelineStatus)
{
    /// <summary>Enroll a patient or update the enrollment (docs/design.md §4 document).</summary>
    [Function("EnrollPatient")]
    public async Task<IActionResult> EnrollPatient(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients")] HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        try
        {
            var stored = await enrollment.EnrollAsync(EnrollmentService.Parse(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)), cancellationToken)
                .ConfigureAwait(false);
            return new OkObjectResult(stored);
        }
        catch (EnrollmentValidationException ex)
        {
            return Problems.Invalid(ex.Errors, ex.Message);
        }
    }

    [Function("GetPatient")]
    public async Task<IActionResult> GetPatient(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        await patients.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } found ? new OkObjectResult(found) : Problems.NotEnrolled(id);

    /// <summary>
    /// Record a treatment event (body: <c>{"kind":"crs","date":"2024-08-29","grade":2}</c>): 201 when added, 200 when the
    /// same event was already recorded (or updated its grade/note), 404 when the patient is not enrolled, 400 when invalid.
    /// The patient is re-evaluated as after an enrollment.
    /// </summary>
    [Function("AddPatientEvent")]
    public async Task<IActionResult> AddPatientEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{id}/events")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        TreatmentEvent? body;
        try
        {
            body = await request.ReadFromJsonAsync<TreatmentEvent>(PipelineJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Problems.Invalid([new ValidationResult($"not a valid event JSON document: {ex.Message}", ["event"])], "invalid event");
        }

        if (body is null)
        {
            return Problems.Invalid([new ValidationResult("the event document is empty", ["event"])], "invalid event");
        }

        try
        {
            return await enrollment.AddEventAsync(id, body, cancellationToken).ConfigureAwait(false) switch
            {
                null => Problems.NotEnrolled(id),
                { Outcome: EventAddOutcome.Added } added => new ObjectResult(added.Event) { StatusCode = StatusCodes.Status201Created },
                var present => new OkObjectResult(present.Event),
            };
        }
        catch (EnrollmentValidationException ex)
        {
            return Problems.Invalid(ex.Errors, ex.Message);
        }
    }

    /// <summary>
    /// The patient's record in collection order and where every value came from (<see cref="PatientResultsView"/>);
    /// <c>?versions=true</c> adds every version the lab sent of each result.
    /// </summary>
    [Function("GetPatientResults")]
    public async Task<IActionResult> GetPatientResults(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}/results")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var versions = false;
        if (request.Query.TryGetValue("versions", out var text) && !string.IsNullOrEmpty(text) && !bool.TryParse(text, out versions))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "Invalid versions", $"versions must be true or false, not '{text}'");
        }

        return await resultViews.GetAsync(id, versions, cancellationToken).ConfigureAwait(false) is { } view
            ? new OkObjectResult(view)
            : Problems.NotEnrolled(id);
    }

    /// <summary>The followed analytes against days since infusion, with the rule thresholds (PNG).</summary>
    [Function("GetPatientTimeline")]
    public async Task<IActionResult> GetPatientTimeline(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}/timeline.png")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } enrolled)
        {
            return Problems.NotEnrolled(id);
        }

        var history = (await results.GetRecordAsync(id, cancellationToken).ConfigureAwait(false)).Current;
        var panels = TrendCharts.ForPatient(enrolled, history, rules.Rules);
        return panels.Count == 0
            ? Problems.Of(StatusCodes.Status404NotFound, "No results yet", $"patient {id} has no result of a followed analyte")
            : new FileContentResult(charts.RenderPng(panels, 900, 260), "image/png");
    }

    /// <summary><c>?status=open|acknowledged|retracted</c>; all alerts without it.</summary>
    [Function("ListAlerts")]
    public async Task<IActionResult> ListAlerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken)
    {
        AlertStatus? status = null;
        if (request.Query.TryGetValue("status", out var text) && !string.IsNullOrEmpty(text))
        {
            if (!Enum.TryParse<AlertStatus>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "Unknown status", $"status must be open, acknowledged or retracted, not '{text}'");
            }

            status = parsed;
        }

        return new OkObjectResult(await alerts.ListAsync(status, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Body <c>{"by":"Dr A. Example"}</c>: who acknowledged; the time is the server's.</summary>
    [Function("AcknowledgeAlert")]
    public async Task<IActionResult> AcknowledgeAlert(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/{id}/ack")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        Acknowledgement? body;
        try
        {
            body = await request.ReadFromJsonAsync<Acknowledgement>(PipelineJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        if (string.IsNullOrWhiteSpace(body?.By))
        {
            return Problems.Invalid([new ValidationResult("by is required: who acknowledges the alert", ["by"])], "invalid acknowledgement");
        }

        var outcome = await alerts.AcknowledgeAsync(id, body.By, cancellationToken).ConfigureAwait(false);
        return outcome.Status switch
        {
            AcknowledgeStatus.Acknowledged => new OkObjectResult(outcome.Alert),
            AcknowledgeStatus.NotFound => Problems.Of(StatusCodes.Status404NotFound, "No such alert", outcome.Detail),
            AcknowledgeStatus.Retracted => Problems.Of(StatusCodes.Status409Conflict, "Alert retracted", outcome.Detail),
            _ => Problems.Of(StatusCodes.Status409Conflict, "Alert changed concurrently", outcome.Detail),
        };
    }

    /// <summary>Anonymous liveness and storage check for probes: 200 when the tables answer, 503 otherwise.</summary>
    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in storage.Tables.GetTableClient(PipelineNames.Tables.Patients)
                .QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken)
                .AsPages().ConfigureAwait(false))
            {
                break;
            }

            return new OkObjectResult(new { status = "healthy", storage = "ok" });
        }
        catch (Azure.RequestFailedException ex)
        {
            return new ObjectResult(new { status = "unhealthy", storage = $"{ex.Status} {ex.ErrorCode}" }) { StatusCode = StatusCodes.Status503ServiceUnavailable };
        }
    }

    /// <summary>
    /// The pipeline's status for ops (function key): queues, poison queues, last file per lab, rejected and stuck files,
    /// failed deliveries. 200 when nothing needs a person, 503 with the same body otherwise (for availability probes).
    /// </summary>
    [Function("PipelineStatus")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "status")] HttpRequest request, CancellationToken cancellationToken)
    {
        var status = await pipelineStatus.GetAsync(cancellationToken).ConfigureAwait(false);
        return new ObjectResult(status) { StatusCode = status.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }

    private sealed record Acknowledgement(string? By);
}

/// <summary>RFC 9457 problem details for the API's errors.</summary>
internal static class Problems
{
    public static ObjectResult Of(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail }) { StatusCode = status, ContentTypes = { "application/problem+json" } };

    public static ObjectResult NotEnrolled(string id) => Of(StatusCodes.Status404NotFound, "Patient not enrolled", $"no enrollment for patient {id}");

    public static ObjectResult Invalid(IReadOnlyList<ValidationResult> errors, string detail)
    {
        var problem = new ValidationProblemDetails(errors
            .SelectMany(e => (e.MemberNames.Any() ? e.MemberNames : [string.Empty]).Select(m => (Member: m, Message: e.ErrorMessage ?? "invalid")))
            .GroupBy(e => e.Member, e => e.Message)
            .ToDictionary(g => g.Key, g => g.ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid request",
            Detail = detail,
        };
        return new BadRequestObjectResult(problem) { ContentTypes = { "application/problem+json" } };
    }
}
