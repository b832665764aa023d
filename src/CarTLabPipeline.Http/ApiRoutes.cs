using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarTLabPipeline.Http;

/// <summary>
/// The routes of <see cref="ApiEndpoints"/> under <c>/api</c> on an ASP.NET Core host (<c>cartlab serve</c>): the same
/// paths, methods and handlers as the Functions HTTP triggers. Every route but <c>health</c> (without <c>?detail=true</c>) needs a signed-in user.
/// </summary>
public static class ApiRoutes
{
    public static IEndpointRouteBuilder MapCarTLabApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("health", (HttpContext c, bool? detail, ApiEndpoints e, CancellationToken ct) =>
            detail == true ? e.SignedInAsync(c, _ => e.HealthAsync(detail: true, ct)) : e.HealthAsync(detail: false, ct));
        api.MapGet("me", (HttpContext c, ApiEndpoints e) => e.SignedInAsync(c, u => Task.FromResult(ApiEndpoints.Me(u))));
        api.MapGet("status", (HttpContext c, ApiEndpoints e, CancellationToken ct) => e.SignedInAsync(c, _ => e.StatusAsync(ct)));
        api.MapPost("patients", (HttpContext c, ApiEndpoints e, CancellationToken ct) => e.SignedInAsync(c, _ => e.EnrollPatientAsync(c.Request.Body, ct)));
        api.MapGet("patients/{id}", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) => e.SignedInAsync(c, _ => e.GetPatientAsync(id, ct)));
        api.MapPost("patients/{id}/events", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) =>
            e.SignedInAsync(c, _ => e.AddPatientEventAsync(id, c.Request.ContentType, c.Request.Body, ct)));
        api.MapGet("patients/{id}/results", (HttpContext c, string id, string? versions, ApiEndpoints e, CancellationToken ct) =>
            e.SignedInAsync(c, _ => e.GetPatientResultsAsync(id, versions, ct)));
        api.MapGet("patients/{id}/timeline.png", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) =>
            e.SignedInAsync(c, _ => e.GetPatientTimelinePngAsync(id, ct)));
        api.MapGet("patients/{id}/timeline", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) =>
            e.SignedInAsync(c, _ => e.GetPatientTimelineAsync(id, ct)));
        api.MapGet("analytes", (HttpContext c, ApiEndpoints e) => e.SignedInAsync(c, _ => Task.FromResult(ApiEndpoints.Analytes())));
        api.MapGet("alerts", (HttpContext c, string? status, ApiEndpoints e, CancellationToken ct) => e.SignedInAsync(c, _ => e.ListAlertsAsync(status, ct)));
        api.MapGet("alerts/{id}", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) => e.SignedInAsync(c, _ => e.GetAlertAsync(id, ct)));
        api.MapGet("alerts/{id}/chart.png", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) => e.SignedInAsync(c, _ => e.GetAlertChartPngAsync(id, ct)));
        api.MapPost("alerts/{id}/ack", (HttpContext c, string id, ApiEndpoints e, CancellationToken ct) =>
            e.SignedInAsync(c, u => e.AcknowledgeAlertAsync(id, u, c.Request.ContentType, c.Request.Body, ct)));
        routes.MapWorkspace();
        return routes;
    }
}
