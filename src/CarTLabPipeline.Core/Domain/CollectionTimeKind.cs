namespace CarTLabPipeline.Domain;

/// <summary>What a result's <see cref="LabResult.CollectedAt"/> stands for.</summary>
public enum CollectionTimeKind
{
    /// <summary>The instant the sample was collected (date and time).</summary>
    Instant,

    /// <summary>
    /// A calendar date without a time (<c>2005-07-05</c>): the instant is noon of the lab's day, but the date as sent is the
    /// truth — day +N is counted from it in every zone.
    /// </summary>
    Date,

    /// <summary>
    /// No collection time was sent: a withdrawal (cancelled / entered in error) with the lab's identity, dated by its
    /// message time (HL7 MSH-7, FHIR <c>issued</c>). It never moves the result's collection time (<see cref="RecordedResult.CollectedAt"/>).
    /// </summary>
    MessageTime,
}
