using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarTLabPipeline.Http;

/// <summary>
/// The clinician workspace under <c>/app</c>: static HTML/JS/CSS embedded in this assembly. Every page path
/// (<c>/app/</c>, <c>/app/alerts/{alertId}</c>) gets the one page, which reads the API with the same sign-in; assets are
/// under <c>/app/assets/</c>. The page holds no data: without a signed-in user the API it calls answers 401.
/// </summary>
public static class WorkspaceRoutes
{
    private static readonly Dictionary<string, string> s_types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".md"] = "text/plain; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapWorkspace(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/app", () => Asset("index.html"));
        routes.MapGet("/app/assets/{name}", (string name) => Asset(name));
        routes.MapGet("/app/{**path}", (string? path) => Asset("index.html"));
        return routes;
    }

    /// <summary>An embedded asset, or 404.</summary>
    internal static IResult Asset(string name)
    {
        var type = s_types.GetValueOrDefault(Path.GetExtension(name));
        var stream = type is null ? null : typeof(WorkspaceRoutes).Assembly.GetManifestResourceStream("Workspace/" + name);
        return stream is null ? ApiProblems.Of(StatusCodes.Status404NotFound, "No such file", $"no workspace file {name}") : TypedResults.Stream(stream, type);
    }
}
