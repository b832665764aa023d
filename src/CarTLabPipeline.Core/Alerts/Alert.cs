
namespace CarTLabPipeline.Alerts;

/// <summary>
/// An alert: the table row, the Service Bus body and a <c>cartlab alerts --json</c> line (docs/design.md §5).
/// Fields after <see cref="CreatedAt"/> are additions to the contract's minimum and may be null.
/// </summary>
public sealed record Alert
{
    /// <summary>Stable hash of rule id, patient id and triggering result ids (<see cref="AlertIds"/>).</summary>
    public required string AlertId { get; init; }

    public required string PatientId { get; init; }

    public required string RuleId { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required string Title { get; init; }

    /// <summary>What changed, in clinical words, with values, dates and day since infusion.</summary>
    public required string Summary { get; init; }

    public required string SuggestedAction { get; init; }

    /// <summary>
    /// Day +N of the triggering result, counted in the patient's time zone from the day 0 of its follow-up
    /// (<see cref="InfusionDate"/>: the infusion, or a later second infusion or allogeneic HSCT).
    /// </summary>
    public required int DayPostInfusion { get; init; }

    /// <summary>Collection time of the triggering result, with the offset the lab sent.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>The triggering results first (<c>role: trigger</c>), then the earlier values that define the change.</summary>
    public required IReadOnlyList<AlertEvidence> Evidence { get; init; }

    public required AlertStatus Status { get; init; }

    /// <summary>When the alert was first stored. Not part of the id; kept across re-evaluations.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Version of the rule that produced the alert.</summary>
    public int RuleVersion { get; init; } = 1;

    public AlertAudience Audience { get; init; } = AlertAudience.CareTeam;

    /// <summary>CAR-T product of the enrollment, for the reader's context.</summary>
    public string? Product { get; init; }

    /// <summary>Day 0 the alert counts from: the enrollment's infusion date, or the second infusion / HSCT that started a later follow-up.</summary>
    public DateOnly? InfusionDate { get; init; }

    /// <summary>
    /// What day 0 (<see cref="InfusionDate"/>) is when it is not the enrollment's infusion: <c>2nd infusion</c> or
    /// <c>allo-HSCT</c> (the treatment event that started the alert's follow-up); null for the infusion.
    /// </summary>
    public string? DayZeroEvent { get; init; }

    public DateTimeOffset? RetractedAt { get; init; }

    /// <summary>Why the alert no longer holds (a result corrected or withdrawn, earlier results arrived).</summary>
    public string? RetractionReason { get; init; }

    /// <summary>
    /// When a retracted alert's condition still holds on other results (the lab replaced a result under a new accession):
    /// the id of the alert of the same rule that replaces it.
    /// </summary>
    public string? SupersededBy { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>The note the acknowledging clinician left (optional, at most <see cref="AlertQueryService.MaxNoteLength"/> characters).</summary>
    public string? AcknowledgementNote { get; init; }

    /// <summary>
    /// Every escalation of this alert to on-call, oldest first (the escalation service of the notifications): a
    /// <c>critical</c> alert left unacknowledged past <c>Escalation__After</c>, then every <c>Escalation__Repeat</c>.
    /// Kept across revisions.
    /// </summary>
    public IReadOnlyList<AlertEscalation> Escalations { get; init; } = [];

    /// <summary>
    /// 1 when raised; incremented each time the alert's content changes after it was stored (a corrected value, a new
    /// severity, a new infusion date), when it is retracted and when it is reopened.
    /// </summary>
    public int Revision { get; init; } = 1;

    /// <summary>What changed in the latest revision, in clinical words (the text of the update or retraction notice).</summary>
    public string? Change { get; init; }

    /// <summary>When the latest revision was stored.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>This alert retracted at <paramref name="now"/> for <paramref name="reason"/>: the next revision, nobody's claim any more.</summary>
    public Alert Retract(string reason, DateTimeOffset now, string? supersededBy = null) => this with
    {
        Status = AlertStatus.Retracted,
        Revision = Revision + 1,
        RetractedAt = now,
        RetractionReason = reason,
        Change = reason,
        UpdatedAt = now,
        SupersededBy = supersededBy,
    };

    /// <summary>
    /// <paramref name="next"/> (what holds now, same id) as the next revision of this alert: its first stored time kept, open
    /// again (an update needs a new look, so an acknowledgement does not carry over), <paramref name="change"/> said.
    /// </summary>
    public Alert ReviseTo(Alert next, string change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(next);
        return next with
        {
            CreatedAt = CreatedAt,
            Status = AlertStatus.Open,
            Revision = Revision + 1,
            Change = change,
            UpdatedAt = now,
            Escalations = Escalations, // the record of who was told stays; the escalation clock restarts from the update
        };
    }

    /// <summary>
    /// An alert for ops (not clinicians): raised by the pipeline itself, resting on no result, id from the rule, the
    /// patient and <paramref name="idKeys"/> (so it is raised once per cause).
    /// </summary>
    public static Alert ForOps(string ruleId, string patientId, IEnumerable<string> idKeys, AlertSeverity severity,
        string title, string summary, string suggestedAction, DateTimeOffset now) => new()
        {
            AlertId = AlertIds.Create(ruleId, patientId, idKeys),
            PatientId = patientId,
            RuleId = ruleId,
            Severity = severity,
            Title = title,
            Summary = summary,
            SuggestedAction = suggestedAction,
            DayPostInfusion = 0,
            ObservedAt = now,
            Evidence = [],
            Status = AlertStatus.Open,
            CreatedAt = now,
            Audience = AlertAudience.Ops,
        };
}
