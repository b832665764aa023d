using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Ingestion.Fhir;
using CarTLabPipeline.Ingestion.Hl7;
using CarTLabPipeline.Messaging;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.BCellRecovery;
using CarTLabPipeline.Rules.Cd4ProphylaxisStop;
using CarTLabPipeline.Rules.CountsRecovery;
using CarTLabPipeline.Rules.IgGLow;
using CarTLabPipeline.Rules.MonitoringOverdue;
using CarTLabPipeline.Rules.Mrd;
using CarTLabPipeline.Rules.MrdNegativeConversion;
using CarTLabPipeline.Rules.MrdNoResponse;
using CarTLabPipeline.Rules.MrdPositiveConversion;
using CarTLabPipeline.Rules.MrdRising;
using CarTLabPipeline.Rules.SevereAnemia;
using CarTLabPipeline.Rules.SevereNeutropenia;
using CarTLabPipeline.Rules.SevereThrombocytopenia;
using CarTLabPipeline.Rules.UnknownPatient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Composition;

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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestionOptions>, LabConventionsValidator>());
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EscalationOptions>().Bind(configuration.GetSection(EscalationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EvaluationOptions>().Bind(configuration.GetSection(EvaluationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, CsvLabReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, Hl7OruReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabFileReader, FhirLabReader>());
        AddRules(services, configuration);

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
        services.TryAddSingleton<OutboxRecoveryService>();
        services.TryAddSingleton<EscalationService>();
        services.TryAddSingleton<AlertRecipients>();
        services.TryAddSingleton<AlertEmailComposer>();
        services.TryAddSingleton<UnknownPatientAlerts>();
        services.TryAddSingleton<PoisonMessageAlerts>();
        services.TryAddSingleton<PoisonMessages>();
        services.TryAddSingleton<QueueMessageHandler>();
        services.TryAddSingleton<RejectedFileAlerts>();
        services.TryAddSingleton<Operations.FeedSilenceAlerts>();
        services.TryAddSingleton<MonitoringService>();
        services.TryAddSingleton<LabFileEventService>();
        services.TryAddSingleton<AlertQueryService>();
        services.TryAddSingleton<AlertActivityService>();
        services.TryAddSingleton<Operations.DeliverySummaryService>();
        services.TryAddSingleton<Operations.PipelineIdleService>();
        services.TryAddSingleton<PatientTimelineService>();
        services.TryAddSingleton<Operations.PipelineStatusService>();
        services.TryAddSingleton<PatientRecordReader>();
        services.TryAddSingleton<ResultQueryService>();
        services.TryAddSingleton<ScheduleQueryService>();
        return services;
    }

    /// <summary>
    /// Every rule of docs/design.md §6 evaluated over a patient's history, one line each: the rule, its options (bound from
    /// <c>Rules:{Section}</c> and validated at start-up from their attributes). A rule's folder holds the rest.
    /// </summary>
    private static void AddRules(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRuleOptions<MrdOptions>(configuration);
        services.AddRuleOptions<UnknownPatientOptions>(configuration); // ingest.unknown-patient is raised at ingestion

        services.AddRule<MrdNegativeConversionRule, MrdNegativeConversionOptions>(configuration);
        services.AddRule<MrdPositiveConversionRule, MrdPositiveConversionOptions>(configuration);
        services.AddRule<MrdRisingRule, MrdRisingOptions>(configuration);
        services.AddRule<MrdNoResponseRule, MrdNoResponseOptions>(configuration);
        services.AddRule<BCellRecoveryRule, BCellRecoveryOptions>(configuration);
        services.AddRule<IgGLowRule, IgGLowOptions>(configuration);
        services.AddRule<Cd4ProphylaxisStopRule, Cd4ProphylaxisStopOptions>(configuration);
        services.AddRule<SevereNeutropeniaRule, SevereNeutropeniaOptions>(configuration);
        services.AddRule<SevereThrombocytopeniaRule, SevereThrombocytopeniaOptions>(configuration);
        services.AddRule<SevereAnemiaRule, SevereAnemiaOptions>(configuration);
        services.AddRule<CountsRecoveryRule, CountsRecoveryOptions>(configuration);
        services.AddRule<MonitoringOverdueRule, MonitoringOverdueOptions>(configuration);
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
