using CarTLabPipeline.Operations;

namespace CarTLabPipeline.Alerts;

/// <summary>The alerts of a run that ingested lab files (<see cref="AlertActivityService.ForFilesAsync"/>).</summary>
/// <param name="Changed">Raised, updated or retracted by the run.</param>
/// <param name="Earlier">Triggered earlier by the files' results, unchanged by the run.</param>
public sealed record FileAlerts(IReadOnlyList<Alert> Changed, IReadOnlyList<Alert> Earlier)
{
    /// <summary>
    /// The open <c>evaluation.record-too-large</c> alerts of the files' patients: patients whose record holds more than
    /// <c>Evaluation__MaxRecordVersions</c> versions, not evaluated (raised by this run or earlier).
    /// </summary>
    public IReadOnlyList<Alert> NotEvaluated { get; init; } = [];
}
