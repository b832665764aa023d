using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Ingestion.Fhir;
using CarTLabPipeline.Ingestion.Hl7;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.Counts;
using CarTLabPipeline.Rules.Immunity;
using CarTLabPipeline.Rules.Monitoring;
using CarTLabPipeline.Rules.Mrd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
            .Validate(o => o.Labs.Values.All(l => l.TimeZone is null || IsKnownTimeZone(l.TimeZone)),
                $"{IngestionOptions.SectionName}:Labs:{{lab}}:TimeZone must be an IANA time zone id")
            .Validate(o => o.Labs.Values.All(l => l.DecimalSeparator is null or "." or ","),
                $"{IngestionOptions.SectionName}:Labs:{{lab}}:DecimalSeparator must be . or ,")
            .Validate(o => o.Labs.Values.All(l => l.MrdUnit is null or "%" or "fraction"),
                $"{IngestionOptions.SectionName}:Labs:{{lab}}:MrdUnit must be % or fraction")
            .ValidateOnStart();
        services.AddOptions<RulesOptions>().Bind(configuration.GetSection(RulesOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RulesOptions>, RulesOptionsValidator>());
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, CsvLabReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, Hl7OruReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, FhirLabReader>());
        foreach (var rule in RuleTypes)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IRule), rule));
        }

        services.TryAddSingleton<ResultNormalizer>();
        services.TryAddSingleton<RuleEngine>();
        services.TryAddSingleton<LabFileParser>();
        services.TryAddSingleton<LabFileIngestionService>();
        services.TryAddSingleton<ReconciliationService>();
        services.TryAddSingleton<InboundResultService>();
        services.TryAddSingleton<EnrollmentService>();
        services.TryAddSingleton<PatientEvaluationService>();
        services.TryAddSingleton<AlertDispatchService>();
        services.TryAddSingleton<AlertOutbox>();
        services.TryAddSingleton<AlertRecipients>();
        services.TryAddSingleton<AlertEmailComposer>();
        services.TryAddSingleton<UnknownPatientAlerts>();
        services.TryAddSingleton<PoisonMessageAlerts>();
        services.TryAddSingleton<RejectedFileAlerts>();
        services.TryAddSingleton<MonitoringService>();
        services.TryAddSingleton<LabFileEventService>();
        services.TryAddSingleton<AlertQueryService>();
        services.TryAddSingleton<ResultQueryService>();
        return services;
    }

    /// <summary>Every rule of DESIGN §6 evaluated over a patient's history (<c>ingest.unknown-patient</c> is raised at ingestion).</summary>
    public static IReadOnlyList<Type> RuleTypes { get; } =
    [
        typeof(MrdNegativeConversionRule), typeof(MrdPositiveConversionRule), typeof(MrdRisingRule),
        typeof(BCellRecoveryRule), typeof(IgGLowRule), typeof(Cd4ProphylaxisStopRule),
        typeof(SevereNeutropeniaRule), typeof(SevereThrombocytopeniaRule), typeof(SevereAnemiaRule), typeof(CountsRecoveryRule),
        typeof(MonitoringOverdueRule),
    ];

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
