namespace CarTLabPipeline.Domain;

/// <summary>One result of the record: its current version and every version the lab sent, in precedence order.</summary>
public sealed record RecordedResult
{
    /// <summary>Every version when there are several; null for a result sent once (its only version is <see cref="Current"/>).</summary>
    private readonly IReadOnlyList<LabResult>? _versions;

    /// <param name="resultId">The result's id (the lab's identity).</param>
    /// <param name="current">The version that stands (<see cref="LabRecord.Precedence"/>).</param>
    /// <param name="versions">Every version, the current one last.</param>
    public RecordedResult(string resultId, LabResult current, IReadOnlyList<LabResult> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ResultId = resultId;
        Current = current;
        _versions = versions.Count == 1 && ReferenceEquals(versions[0], current) ? null : versions;
    }

    /// <summary>
    /// A result with a single version. Most results are sent once: holding no list for them keeps a 100,000-result record
    /// 3 MB smaller (<see cref="Versions"/> makes the one-element list when asked).
    /// </summary>
    internal RecordedResult(string resultId, LabResult only)
    {
        ResultId = resultId;
        Current = only;
    }

    /// <summary>The result's id (the lab's identity).</summary>
    public string ResultId { get; }

    /// <summary>The version that stands (<see cref="LabRecord.Precedence"/>).</summary>
    public LabResult Current { get; }

    /// <summary>Every version, the current one last.</summary>
    public IReadOnlyList<LabResult> Versions => _versions ?? [Current];

    /// <summary>The lab cancelled the result or declared it entered in error: it is not part of the record.</summary>
    public bool Withdrawn => Current.Status == ResultStatus.Cancelled;

    /// <summary>
    /// The version whose collection time the result has: the current one, unless the current one carries only its message
    /// time (a withdrawal that sent no collection time, <see cref="CollectionTimeKind.MessageTime"/>) — then the last
    /// version that had a collection time of its own. A withdrawal never moves the result's collection time.
    /// </summary>
    public LabResult Collection => Current.CollectedAtKind != CollectionTimeKind.MessageTime ? Current
        : _versions?.LastOrDefault(v => v.CollectedAtKind != CollectionTimeKind.MessageTime) ?? Current;

    /// <summary>The result's collection time (<see cref="Collection"/>).</summary>
    public DateTimeOffset CollectedAt => Collection.CollectedAt;
}
