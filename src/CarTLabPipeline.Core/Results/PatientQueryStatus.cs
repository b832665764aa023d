namespace CarTLabPipeline.Results;

/// <summary>What a question about one patient's record came to: every case is an expected outcome, none is an exception.</summary>
public enum PatientQueryStatus
{
    /// <summary>Answered (<see cref="PatientQuery{T}.Value"/>).</summary>
    Answered,

    /// <summary>There is no enrolled patient with this id.</summary>
    NotEnrolled,

    /// <summary>
    /// The patient's record holds more result versions than <c>Evaluation__MaxRecordVersions</c>: it was not read (the
    /// read stopped at the limit), so nothing is shown from it (the patient is not evaluated either).
    /// </summary>
    RecordTooLarge,
}
