using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.Immunity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CarTLabPipeline;

/// <summary>Registration of the Core services (readers, rules, pipeline services) and their validated options.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers Core. Options are validated at start-up: a bad threshold stops the host, not the ten-thousandth message.
    /// Adapters for the ports are registered by the hosting layer.
    /// </summary>
    public static IServiceCollection AddCarTLabPipelineCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => IsKnownTimeZone(o.DefaultTimeZone), $"{IngestionOptions.SectionName}:DefaultTimeZone must be an IANA time zone id")
            .ValidateOnStart();
        services.AddOptions<RulesOptions>().Bind(configuration.GetSection(RulesOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, CsvLabReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRule, IgGLowRule>());

        services.TryAddSingleton<ResultNormalizer>();
        services.TryAddSingleton<RuleEngine>();
        services.TryAddSingleton<LabFileIngestionService>();
        services.TryAddSingleton<ReconciliationService>();
        services.TryAddSingleton<EnrollmentService>();
        services.TryAddSingleton<PatientEvaluationService>();
        services.TryAddSingleton<AlertDispatchService>();
        return services;
    }

    private static bool IsKnownTimeZone(string id)
    {
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }
}
