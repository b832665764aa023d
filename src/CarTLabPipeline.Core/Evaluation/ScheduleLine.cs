
namespace CarTLabPipeline.Evaluation;

/// <summary>One timepoint of a patient's follow-up schedule as it reads (<c>cartlab schedule</c>).</summary>
/// <param name="Timepoint">e.g. <c>month-3</c>.</param>
/// <param name="Test">e.g. <c>bone-marrow MRD</c>.</param>
/// <param name="Day">The day it is due.</param>
/// <param name="Window">e.g. <c>day +76 … +104 (2024-11-11 – 2024-12-09)</c>.</param>
/// <param name="Status">done, due, overdue, missed (closed before the pipeline followed the patient) or upcoming.</param>
/// <param name="Collected">For a done timepoint: the first result taken in the window, e.g. <c>day +90 (2024-11-25), preliminary</c>.</param>
public sealed record ScheduleLine(string Timepoint, string Test, int Day, string Window, string Status, string? Collected);
