using CarTLabPipeline.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The HTTP API and workspace of <c>cartlab serve</c>: the Functions app's routes on http://127.0.0.1:{Http__Port}/api
/// (default 7071), served by the same <see cref="ApiEndpoints"/> over the session's services, with the development
/// identity for loopback callers (the listener binds to loopback only).
/// </summary>
internal static class LocalHttpApi
{
    /// <summary>Starts the listener of <paramref name="session"/>.</summary>
    /// <exception cref="PermanentPipelineException">The port is taken (names the setting that moves it).</exception>
    public static async Task<HttpApiServer> StartAsync(CartlabSession session, CancellationToken cancellationToken)
    {
        var configuration = session.Services.GetRequiredService<IConfiguration>();
        var options = configuration.GetSection(HttpApiOptions.SectionName).Get<HttpApiOptions>() ?? new HttpApiOptions();
        if (options.Port is < 0 or > 65535)
        {
            throw new PermanentPipelineException($"Http__Port must be a TCP port (0-65535), not {options.Port}");
        }

        options.Identity = IdentitySource.Development;
        try
        {
            return await HttpApiServer.StartAsync(() => session.Services, options, session.Services.GetService<ILoggerFactory>(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new PermanentPipelineException($"cannot listen on 127.0.0.1:{options.Port} ({ex.Message}); set Http__Port to a free port", ex);
        }
    }
}
