namespace CarTLabPipeline.Domain;

/// <summary>
/// A patient's lab record: every stored version of every result, resolved into the current record. A pure function of
/// the set of versions — whatever the order they arrived in, the same versions give the same record.
/// </summary>
/// <remarks>
/// Precedence of the versions of one result (<see cref="Precedence"/>): a cancelled / entered-in-error version withdraws
/// the result; corrected/amended beats final beats preliminary; within one status the later message time
/// (<see cref="LabResult.ReportedAt"/>; a version without one ranks below one with it) wins; only an exact tie is broken by
/// arrival (the later received, then the later line).
/// </remarks>
public sealed class LabRecord
{
    private readonly Dictionary<string, RecordedResult> _byId;

    private LabRecord(Dictionary<string, RecordedResult> byId)
    {
        _byId = byId;
        Results = [.. byId.Values.OrderBy(r => r.CollectedAt.UtcTicks).ThenBy(r => r.ResultId, StringComparer.Ordinal)];
        Current = [.. Results.Where(r => !r.Withdrawn).Select(r => r.Current)];
    }

    /// <summary>Every result (withdrawn ones included), ordered by their collection time (<see cref="RecordedResult.CollectedAt"/>).</summary>
    public IReadOnlyList<RecordedResult> Results { get; }

    /// <summary>The current version of every result that is not withdrawn, in collection order (preliminary ones included).</summary>
    public IReadOnlyList<LabResult> Current { get; }

    /// <summary>The result with this id, or null.</summary>
    public RecordedResult? Find(string resultId) => _byId.GetValueOrDefault(resultId);

    /// <summary>Resolves stored versions (any order, duplicates tolerated) into the record.</summary>
    public static LabRecord Resolve(IEnumerable<LabResult> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        // A result's first version is held alone; a list only for a result with more (on a 100,000-result record of single
        // versions, a list and a de-duplication set per result were most of what resolving allocated).
        var groups = new Dictionary<string, (LabResult First, List<LabResult>? More)>(StringComparer.Ordinal);
        foreach (var v in versions)
        {
            if (!groups.TryGetValue(v.ResultId, out var group))
            {
                groups[v.ResultId] = (v, null);
            }
            else if (group.More is null)
            {
                groups[v.ResultId] = (group.First, [group.First, v]);
            }
            else
            {
                group.More.Add(v);
            }
        }

        var byId = new Dictionary<string, RecordedResult>(groups.Count, StringComparer.Ordinal);
        foreach (var (id, (first, more)) in groups)
        {
            if (more is null)
            {
                byId[id] = new RecordedResult(id, first, [first]);
                continue;
            }

            var ordered = more.DistinctBy(v => v.VersionId.Length > 0 ? v.VersionId : ResultIds.ForVersion(v)).ToList();
            ordered.Sort(Precedence);
            byId[id] = new RecordedResult(id, ordered[^1], ordered);
        }

        return new LabRecord(byId);
    }

    /// <summary>
    /// The current version of each result, withdrawn results left out — the cheap path for the rule engine (no grouping
    /// when every result has a single version).
    /// </summary>
    public static IEnumerable<LabResult> CurrentVersions(IEnumerable<LabResult> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var best = new Dictionary<string, LabResult>(StringComparer.Ordinal);
        foreach (var v in versions)
        {
            if (!best.TryGetValue(v.ResultId, out var held) || Precedence(v, held) > 0)
            {
                best[v.ResultId] = v;
            }
        }

        return best.Values.Where(v => v.Status != ResultStatus.Cancelled);
    }

    /// <summary>
    /// Orders two versions of one result: positive when <paramref name="a"/> takes precedence over <paramref name="b"/>.
    /// Status rank (cancelled &gt; corrected &gt; final &gt; preliminary), then message time, then arrival, then content.
    /// </summary>
    public static int Precedence(LabResult? a, LabResult? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        var c = Rank(a.Status).CompareTo(Rank(b.Status));
        if (c != 0)
        {
            return c;
        }

        c = Nullable.Compare(a.ReportedAt?.UtcTicks, b.ReportedAt?.UtcTicks);
        if (c != 0)
        {
            return c;
        }

        c = a.ReceivedAt.UtcTicks.CompareTo(b.ReceivedAt.UtcTicks);
        if (c != 0)
        {
            return c;
        }

        c = a.SourceLine.CompareTo(b.SourceLine);
        return c != 0 ? c : string.CompareOrdinal(a.VersionId, b.VersionId);
    }

    /// <summary>Status rank in precedence: the higher wins.</summary>
    public static int Rank(ResultStatus status) => status switch
    {
        ResultStatus.Cancelled => 3,
        ResultStatus.Corrected => 2,
        ResultStatus.Final => 1,
        _ => 0,
    };
}
