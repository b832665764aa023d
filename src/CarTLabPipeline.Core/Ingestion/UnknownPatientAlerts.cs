using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Rules.UnknownPatient;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// <c>ingest.unknown-patient</c>: results arrived for a patient id that is not enrolled. For ops, not clinicians; raised
/// once per patient id (the id hashes rule and patient only) and retracted when the patient is enrolled.
/// </summary>
public sealed class UnknownPatientAlerts(AlertOutbox outbox, IOptions<UnknownPatientOptions> options, TimeProvider time)
{
    public const string RuleId = "ingest.unknown-patient";

    public async Task<bool> RaiseAsync(string patientId, string file, int results, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var alert = Alert.ForOps(RuleId, patientId, [], o.Severity, "Results for a patient who is not enrolled",
            $"{results} result(s) for patient id {patientId} arrived in {file}, but the patient is not enrolled. " +
            "They are stored and will be evaluated when the patient is enrolled.",
            o.SuggestedAction, now);
        return await outbox.TryRaiseAsync(alert, null, cancellationToken).ConfigureAwait(false);
    }
}
