using System.Globalization;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Results;

/// <summary>
/// The answer to a question about one patient's record (its results, timeline, schedule, the alerts the rules give), or
/// why there is none: the patient is not enrolled, or the record is too large to read (<see cref="PatientRecordReader"/>).
/// </summary>
/// <typeparam name="T">What the question asks for.</typeparam>
public sealed record PatientQuery<T>
    where T : class
{
    private PatientQuery(PatientQueryStatus status, string patientId, T? value, string detail)
    {
        Status = status;
        PatientId = patientId;
        Value = value;
        Detail = detail;
    }

    public PatientQueryStatus Status { get; }

    public string PatientId { get; }

    /// <summary>The answer; null unless <see cref="PatientQueryStatus.Answered"/>.</summary>
    public T? Value { get; }

    /// <summary>
    /// One sentence for a person when there is no answer: what is wrong and what resolves it (an id and counts, never a value).
    /// </summary>
    public string Detail { get; }

    public static PatientQuery<T> Answered(string patientId, T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(PatientQueryStatus.Answered, patientId, value, string.Empty);
    }

    public static PatientQuery<T> NotEnrolled(string patientId) =>
        new(PatientQueryStatus.NotEnrolled, patientId, null, $"patient {patientId} is not enrolled: check the id, or enroll them first");

    /// <param name="patientId">The patient.</param>
    /// <param name="limit">The limit the record exceeds (<see cref="EvaluationOptions.MaxRecordVersions"/>).</param>
    public static PatientQuery<T> RecordTooLarge(string patientId, int limit) =>
        new(PatientQueryStatus.RecordTooLarge, patientId, null, TooLargeDetail(patientId, limit));

    /// <summary>The same answer about the same patient in another form (<paramref name="map"/> runs only when answered).</summary>
    public PatientQuery<TOther> Select<TOther>(Func<T, TOther> map)
        where TOther : class
    {
        ArgumentNullException.ThrowIfNull(map);
        return Status == PatientQueryStatus.Answered
            ? PatientQuery<TOther>.Answered(PatientId, map(Value!))
            : PatientQuery<TOther>.Relay(Status, PatientId, Detail);
    }

    private static PatientQuery<T> Relay(PatientQueryStatus status, string patientId, string detail) => new(status, patientId, null, detail);

    /// <summary>Why a record of more than <paramref name="limit"/> versions is not shown, and what resolves it.</summary>
    internal static string TooLargeDetail(string patientId, int limit)
    {
        var n = limit.ToString("N0", CultureInfo.InvariantCulture);
        return $"Patient {patientId} has more than {n} results on record ({EvaluationOptions.MaxRecordVersionsSetting}): the record is not read, " +
            "so nothing is shown from it and the patient is not evaluated; if the record is real, raise the setting and run cartlab monitor, " +
            "if not, stop the feed that sent it (the evaluation.record-too-large ops alert says how to find its files)";
    }
}
