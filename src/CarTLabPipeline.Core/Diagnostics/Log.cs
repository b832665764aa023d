using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Diagnostics;

/// <summary>
/// Every log line of the pipeline, source-generated. Patient data never appears here: ids, counts, rule ids, durations
/// only — no values, names, dates of birth or MRNs (the patient id is a pseudonymous study id).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Ingested {File} as {Format}: {Status}, {Stored} stored, {Rejected} rejected, {Skipped} skipped, {Patients} patients in {ElapsedMs:0} ms")]
    public static partial void FileIngested(ILogger logger, string file, string format, string status, int stored, int rejected, int skipped, int patients, double elapsedMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Skipped {File}: same content already processed as {FirstFile}")]
    public static partial void FileDuplicate(ILogger logger, string file, string firstFile);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Resuming {File} (attempt {Attempt}): the attempt that claimed it (in this or another process) stopped renewing its claim and did not finish within the lease")]
    public static partial void FileResumed(ILogger logger, string file, int attempt);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information,
        Message = "Reconciliation sweep: {Ingested} file(s) ingested that the triggers had not, {Duplicates} skipped (content already processed), {InProgress} in progress elsewhere; {Failed} failed, {Waiting} wait for a retry")]
    public static partial void SweepCompleted(ILogger logger, int ingested, int duplicates, int inProgress, int failed, int waiting);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information,
        Message = "{File} is in progress elsewhere: content first seen as {FirstFile}, claimed by attempt {Attempt} {AgeSeconds:0} s ago; not resumed before the lease ends")]
    public static partial void FileInProgress(ILogger logger, string file, string firstFile, int attempt, double ageSeconds);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Ingestion of {File} failed (attempt {Attempt} of {MaxAttempts}): {ErrorType}")]
    public static partial void FileFailed(ILogger logger, string file, int attempt, int maxAttempts, string errorType);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error,
        Message = "{File} given up after {Attempts} failed attempt(s): completed as rejected, report in lab-results-rejected ({ElapsedMs:0} ms)")]
    public static partial void FileGivenUp(ILogger logger, string file, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "The failure of {File} could not be recorded on its ledger row: {ErrorType}")]
    public static partial void FileFailureNotRecorded(ILogger logger, string file, string errorType);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning,
        Message = "Ingestion of {File}: the claim was taken over by another attempt (renewal refused); this attempt goes on, its writes are idempotent")]
    public static partial void FileClaimLost(ILogger logger, string file);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Ingestion of {File}: renewing the claim failed ({ErrorType}); tried again at the next renewal")]
    public static partial void FileClaimRenewalFailed(ILogger logger, string file, string errorType);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning,
        Message = "Reconciliation sweep: {File} failed ({Failures} time(s) in a row here): {ErrorType}; next try after {RetryAt:O}; the sweep goes on")]
    public static partial void SweepFileFailed(ILogger logger, string file, int failures, string errorType, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Enrolled patient {PatientId} with {CareTeamCount} care-team member(s)")]
    public static partial void PatientEnrolled(ILogger logger, string patientId, int careTeamCount);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Recorded a {Kind} treatment event for patient {PatientId}")]
    public static partial void TreatmentEventRecorded(ILogger logger, string patientId, string kind);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Evaluated patient {PatientId}: {Results} results, {Raised} raised, {Retracted} retracted, {Unchanged} unchanged in {ElapsedMs:0} ms")]
    public static partial void PatientEvaluated(ILogger logger, string patientId, int results, int raised, int retracted, int unchanged, double elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Patient {PatientId} is not enrolled: results kept, evaluation waits for the enrollment")]
    public static partial void PatientNotEnrolled(ILogger logger, string patientId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "Patient {PatientId} not evaluated: more than {MaxRecordVersions} result versions on record (Evaluation__MaxRecordVersions); existing alerts left as they are, ops alert {AlertId}")]
    public static partial void RecordTooLarge(ILogger logger, string patientId, int maxRecordVersions, string alertId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Alert {AlertId} raised by {RuleId} for patient {PatientId}")]
    public static partial void AlertRaised(ILogger logger, string alertId, string ruleId, string patientId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Alert {AlertId} ({RuleId}) for patient {PatientId} updated: a new revision, notified once")]
    public static partial void AlertUpdated(ILogger logger, string alertId, string ruleId, string patientId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Alert {AlertId} ({RuleId}) for patient {PatientId} retracted")]
    public static partial void AlertRetracted(ILogger logger, string alertId, string ruleId, string patientId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Alert {AlertId}: {Event} delivered on {Channel}")]
    public static partial void DeliverySent(ILogger logger, string alertId, string channel, string @event);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Alert {AlertId}: delivery on {Channel} failed (attempt {Attempt}, final {Final})")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string alertId, string channel, int attempt, bool final);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Alert {AlertId} to dispatch does not exist")]
    public static partial void AlertMissing(ILogger logger, string alertId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Alert {AlertId}: {Deferred} delivery(ies) wait out a back-off, {Elsewhere} being sent by another dispatcher; next look queued for {RetryAt:O}")]
    public static partial void DeliveryRetryQueued(ILogger logger, string alertId, int deferred, int elsewhere, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Alert {AlertId}: {Deferred} delivery(ies) wait out a back-off until {RetryAt:O}; their retry is already queued")]
    public static partial void DeliveryRetryAlreadyQueued(ILogger logger, string alertId, int deferred, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Critical, Message = "Ops alert {AlertId} could not be delivered on {Channel}: see the alert-notifications-poison queue")]
    public static partial void OpsAlertUndeliverable(ILogger logger, string alertId, string channel);
}
