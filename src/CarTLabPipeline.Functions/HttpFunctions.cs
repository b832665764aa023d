using CarTLabPipeline.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CarTLabPipeline.Functions;

/// <summary>
/// The HTTP API's triggers (ASP.NET Core integration): each binds the route and calls the one implementation in
/// <see cref="ApiEndpoints"/>, which <c>cartlab serve</c> serves too. Function keys stay on everything but
/// <c>/api/health</c> (ops automation); every route but health also needs a signed-in user (Easy Auth, docs/deploy.md).
/// </summary>
public sealed class HttpFunctions(ApiEndpoints api)
{
    [Function("EnrollPatient")]
    public async Task<IActionResult> EnrollPatient(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients")] HttpRequest request, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.EnrollPatientAsync(request.Body, cancellationToken)).ConfigureAwait(false));

    [Function("GetPatient")]
    public async Task<IActionResult> GetPatient(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.GetPatientAsync(id, cancellationToken)).ConfigureAwait(false));

    [Function("AddPatientEvent")]
    public async Task<IActionResult> AddPatientEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{id}/events")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.AddPatientEventAsync(id, request.ContentType, request.Body, cancellationToken))
            .ConfigureAwait(false));

    [Function("GetPatientResults")]
    public async Task<IActionResult> GetPatientResults(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}/results")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.GetPatientResultsAsync(id, request.Query["versions"], cancellationToken))
            .ConfigureAwait(false));

    [Function("GetPatientTimeline")]
    public async Task<IActionResult> GetPatientTimeline(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}/timeline.png")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.GetPatientTimelinePngAsync(id, cancellationToken)).ConfigureAwait(false));

    [Function("GetPatientTimelineData")]
    public async Task<IActionResult> GetPatientTimelineData(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{id}/timeline")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.GetPatientTimelineAsync(id, cancellationToken)).ConfigureAwait(false));

    [Function("Analytes")]
    public async Task<IActionResult> Analytes(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "analytes")] HttpRequest request) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => Task.FromResult(ApiEndpoints.Analytes())).ConfigureAwait(false));

    [Function("ListAlerts")]
    public async Task<IActionResult> ListAlerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.ListAlertsAsync(request.Query["status"], cancellationToken)).ConfigureAwait(false));

    [Function("GetAlert")]
    public async Task<IActionResult> GetAlert(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.GetAlertAsync(id, cancellationToken)).ConfigureAwait(false));

    [Function("GetAlertChart")]
    public async Task<IActionResult> GetAlertChart(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts/{id}/chart.png")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.GetAlertChartPngAsync(id, cancellationToken)).ConfigureAwait(false));

    [Function("AcknowledgeAlert")]
    public async Task<IActionResult> AcknowledgeAlert(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/{id}/ack")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, user => api.AcknowledgeAlertAsync(id, user, request.ContentType, request.Body, cancellationToken)).ConfigureAwait(false));

    [Function("Me")]
    public async Task<IActionResult> Me(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "me")] HttpRequest request) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, user => Task.FromResult(ApiEndpoints.Me(user))).ConfigureAwait(false));

    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken) =>
        new ResultAction(await (IsTrue(request.Query["detail"])
            ? api.SignedInAsync(request.HttpContext, _ => api.HealthAsync(detail: true, cancellationToken))
            : api.HealthAsync(detail: false, cancellationToken)).ConfigureAwait(false));

    [Function("PipelineStatus")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "status")] HttpRequest request, CancellationToken cancellationToken) =>
        new ResultAction(await api.SignedInAsync(request.HttpContext, _ => api.StatusAsync(cancellationToken)).ConfigureAwait(false));

    /// <summary><c>?detail=true</c> (any case); anything else is false.</summary>
    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => bool.TryParse(value.ToString(), out var b) && b;
}
