using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CarTLabPipeline.Functions;

/// <summary>An <see cref="IResult"/> of the shared endpoints, returned through the Functions ASP.NET Core integration's <see cref="IActionResult"/>.</summary>
internal sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return result.ExecuteAsync(context.HttpContext);
    }
}
