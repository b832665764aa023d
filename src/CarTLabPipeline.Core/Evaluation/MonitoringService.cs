using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// The daily monitoring job: asks for an evaluation of every enrolled patient, so time-based rules
/// (<c>monitoring.overdue</c>) are judged even when no result arrives. Runs from a Functions timer in Azure and
/// <c>cartlab monitor</c> locally.
/// </summary>
public sealed class MonitoringService(IPatientStore patients, IPipelineQueue queue)
{
    /// <returns>How many patients were queued.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var enrollment in patients.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            await queue.SendAsync(PipelineNames.Queues.PatientEvaluations,
                new EvaluationRequest(enrollment.PatientId, EvaluationRequest.ReasonMonitoring), null, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }
}
