using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Http;

/// <summary>
/// The HTTP API (and the workspace) on Kestrel, bound to 127.0.0.1 only: what <c>cartlab serve</c> runs beside its
/// triggers. The handlers are built from the pipeline's own services (the provider is read per request,
/// so a host restarted after a storage outage is picked up).
/// </summary>
public sealed class HttpApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The listening address, e.g. <c>http://127.0.0.1:7071/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening on 127.0.0.1:<see cref="HttpApiOptions.Port"/> (0: a free port).</summary>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<HttpApiServer> StartAsync(Func<IServiceProvider> pipeline, HttpApiOptions options, ILoggerFactory? logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HttpApiServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Services.AddSingleton(logging);
        }

        var fixedOptions = Options.Create(options);
        (IServiceProvider Provider, ApiEndpoints Endpoints)? last = null;
        var gate = new Lock();
        builder.Services.AddTransient(_ =>
        {
            var provider = pipeline();
            lock (gate)
            {
                if (last is not { } known || !ReferenceEquals(known.Provider, provider))
                {
                    last = known = (provider, ActivatorUtilities.CreateInstance<ApiEndpoints>(provider, fixedOptions));
                }

                return known.Endpoints;
            }
        });

        var app = builder.Build();
        app.MapCarTLabApi();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpApiServer(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
