using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CarTLabPipeline.Http;

/// <summary>Registration of the HTTP API's handlers (the Functions app; <c>cartlab serve</c> builds them in <see cref="HttpApiServer"/>).</summary>
public static class HttpServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ApiEndpoints"/> and the validated <c>Http</c> section (<see cref="HttpApiOptions"/>).</summary>
    public static IServiceCollection AddCarTLabHttpApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HttpApiOptions>().Bind(configuration.GetSection(HttpApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ApiEndpoints>();
        return services;
    }
}
