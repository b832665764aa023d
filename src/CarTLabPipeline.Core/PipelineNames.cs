namespace CarTLabPipeline;

/// <summary>
/// The storage and messaging names every part of the system agrees on (docs/design.md §3). Cloud setting names live with the
/// adapters that read them (<c>CarTLabPipeline.Adapters.SettingNames</c>).
/// Bicep, the Functions bindings, the local host and the tests use these names; change them only together.
/// </summary>
public static class PipelineNames
{
    /// <summary>Blob containers.</summary>
    public static class Containers
    {
        /// <summary>The drop zone: <c>lab-results/{lab}/{file}</c>.</summary>
        public const string LabResults = "lab-results";

        /// <summary>Copies of rejected input, each with a <c>&lt;name&gt;.errors.json</c> report.</summary>
        public const string Rejected = "lab-results-rejected";

        /// <summary>Blob trigger path for the drop zone.</summary>
        public const string LabResultsTriggerPath = LabResults + "/{name}";

        public static IReadOnlyList<string> All { get; } = [LabResults, Rejected];
    }

    /// <summary>Storage queues. The trigger runtimes add <c>-poison</c> after the last attempt.</summary>
    public static class Queues
    {
        public const string LabResultsInbound = "lab-results-inbound";
        public const string PatientEvaluations = "patient-evaluations";
        public const string AlertNotifications = "alert-notifications";

        /// <summary>
        /// In Azure: Event Grid delivers the <c>BlobCreated</c> events of <c>lab-results</c> here, for the queue-triggered
        /// <c>IngestLabFile</c> (docs/adr/0003). Unused locally, where the WebJobs blob trigger polls the container.
        /// </summary>
        public const string LabResultsEvents = "lab-results-events";

        /// <summary>Local stand-in for the Service Bus topic <see cref="ServiceBus.AlertsTopic"/>.</summary>
        public const string LabAlerts = "lab-alerts";

        public const string PoisonSuffix = "-poison";

        /// <summary>The queues whose emptiness means "the pipeline is idle".</summary>
        public static IReadOnlyList<string> Work { get; } = [LabResultsInbound, PatientEvaluations, AlertNotifications];

        /// <summary>The queues a trigger consumes, each with its <c>-poison</c> queue.</summary>
        public static IReadOnlyList<string> Triggered { get; } = [LabResultsEvents, LabResultsInbound, PatientEvaluations, AlertNotifications];

        public static IReadOnlyList<string> All { get; } = [LabResultsEvents, LabResultsInbound, PatientEvaluations, AlertNotifications, LabAlerts];
    }

    /// <summary>Tables.</summary>
    public static class Tables
    {
        public const string Patients = "Patients";
        public const string LabResults = "LabResults";
        public const string Alerts = "Alerts";
        public const string IngestedFiles = "IngestedFiles";

        public static IReadOnlyList<string> All { get; } = [Patients, LabResults, Alerts, IngestedFiles];
    }

    /// <summary>Service Bus entities.</summary>
    public static class ServiceBus
    {
        public const string AlertsTopic = "lab-alerts";
    }
}
