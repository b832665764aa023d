namespace CarTLabPipeline.Domain;

/// <summary>One result of the record: its current version and every version the lab sent, in precedence order.</summary>
/// <param name="ResultId">The result's id (the lab's identity).</param>
/// <param name="Current">The version that stands (<see cref="LabRecord.Precedence"/>).</param>
/// <param name="Versions">Every version, the current one last.</param>
public sealed record RecordedResult(string ResultId, LabResult Current, IReadOnlyList<LabResult> Versions)
{
    /// <summary>The lab cancelled the result or declared it entered in error: it is not part of the record.</summary>
    public bool Withdrawn => Current.Status == ResultStatus.Cancelled;

    /// <summary>
    /// The version whose collection time the result has: the current one, unless the current one carries only its message
    /// time (a withdrawal that sent no collection time, <see cref="CollectionTimeKind.MessageTime"/>) — then the last
    /// version that had a collection time of its own. A withdrawal never moves the result's collection time.
    /// </summary>
    public LabResult Collection => Current.CollectedAtKind != CollectionTimeKind.MessageTime ? Current
        : Versions.LastOrDefault(v => v.CollectedAtKind != CollectionTimeKind.MessageTime) ?? Current;

    /// <summary>The result's collection time (<see cref="Collection"/>).</summary>
    public DateTimeOffset CollectedAt => Collection.CollectedAt;
}
