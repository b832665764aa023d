namespace CarTLabPipeline.Notifications;

/// <summary>
/// An alert's chart as of the alert (<see cref="PatientTimelineService.RenderAlertPngAsync"/>: the PNG its email carries;
/// <see cref="PatientTimelineService.GetAlertViewAsync"/>: the same as data), or why there is none.
/// </summary>
/// <typeparam name="T">The chart's form: the PNG's bytes, or a <see cref="TimelineView"/>.</typeparam>
public sealed record AlertChart<T>
    where T : class
{
    /// <summary>The chart; null when there is none (<see cref="NotDrawn"/> says why).</summary>
    public T? Chart { get; init; }

    /// <summary>Why there is no chart, in a sentence for the reader of the page or the mail; null when there is one.</summary>
    public string? NotDrawn { get; init; }

    /// <summary>
    /// No chart because the patient's record holds more versions than <c>Evaluation__MaxRecordVersions</c>: it was not read
    /// (the patient is not evaluated either; ops get <c>evaluation.record-too-large</c>).
    /// </summary>
    public bool RecordTooLarge { get; init; }
}
