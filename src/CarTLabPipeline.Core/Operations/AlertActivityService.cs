using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Operations;

/// <summary>
/// What a command or endpoint that changed the pipeline asks of the stored alerts afterwards: which alerts it raised,
/// updated or retracted since it started, and which alerts rest on the results of given lab files. Read only.
/// </summary>
public sealed class AlertActivityService(IAlertStore alerts, ILabFileStore files, LabFileParser parser)
{
    /// <summary>The stored alerts (with their delivery ledger), of one patient or all when <paramref name="patientId"/> is null.</summary>
    public async Task<IReadOnlyList<StoredAlert>> ListAsync(string? patientId, CancellationToken cancellationToken)
    {
        if (patientId is not null)
        {
            return await alerts.ListForPatientAsync(patientId, cancellationToken).ConfigureAwait(false);
        }

        var list = new List<StoredAlert>();
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>Alerts raised, updated or retracted at or after <paramref name="since"/> (of one patient, or all).</summary>
    public async Task<IReadOnlyList<Alert>> ChangedSinceAsync(DateTimeOffset since, string? patientId, CancellationToken cancellationToken) =>
        [.. (await ListAsync(patientId, cancellationToken).ConfigureAwait(false)).Select(r => r.Alert).Where(a => ChangedSince(a, since))];

    /// <summary>
    /// The standing <c>evaluation.record-too-large</c> alerts, by patient: the patients not evaluated, their record being
    /// over the limit.
    /// </summary>
    public async Task<IReadOnlyList<Alert>> NotEvaluatedAsync(CancellationToken cancellationToken) =>
        NotEvaluated((await ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(r => r.Alert));

    private static List<Alert> NotEvaluated(IEnumerable<Alert> alerts) =>
        [.. alerts.Where(RecordTooLarge.Stands).OrderBy(a => a.PatientId, StringComparer.Ordinal)];

    /// <summary>Alerts raised or retracted at or after <paramref name="since"/> (what a monitoring run changes; updates aside).</summary>
    public async Task<IReadOnlyList<Alert>> RaisedOrRetractedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        [.. (await ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(r => r.Alert).Where(a => a.CreatedAt >= since || a.RetractedAt >= since)];

    /// <summary>
    /// The alerts of a run that ingested <paramref name="fileNames"/> (drop-zone blob names): every alert the run changed
    /// since <paramref name="since"/> (a correction can update or retract an alert, or raise one, resting on results of
    /// other files), and the alerts these files' results triggered earlier and the run left unchanged (a file sent
    /// again). A name no longer in the drop zone contributes no result. Also the patients of these files that are not
    /// evaluated, their record being too large (their open <c>evaluation.record-too-large</c> alert, changed or not).
    /// </summary>
    public async Task<FileAlerts> ForFilesAsync(IEnumerable<string> fileNames, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in fileNames)
        {
            if (await files.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } source)
            {
                ids.UnionWith(await parser.ResultIdsAsync(source, cancellationToken, patients).ConfigureAwait(false));
            }
        }

        var all = (await ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(r => r.Alert).ToList();
        var changed = all.Where(a => ChangedSince(a, since)).ToList();
        var earlier = all.Where(a => !ChangedSince(a, since) && a.Evidence.Any(e => e.Role == EvidenceRoles.Trigger && ids.Contains(e.ResultId))).ToList();
        var notEvaluated = NotEvaluated(all.Where(a => patients.Contains(a.PatientId)));
        return new FileAlerts(changed, earlier) { NotEvaluated = notEvaluated };
    }

    private static bool ChangedSince(Alert alert, DateTimeOffset since) => (alert.UpdatedAt ?? alert.CreatedAt) >= since;
}
