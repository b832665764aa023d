using System.Runtime.InteropServices;

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

    /// <summary>Collection order: collection instant, then result id (ids are distinct, so the order is total).</summary>
    private static readonly Comparison<RecordedResult> s_collectionOrder = (a, b) =>
        a.CollectedAt.UtcTicks != b.CollectedAt.UtcTicks ? a.CollectedAt.UtcTicks.CompareTo(b.CollectedAt.UtcTicks) : string.CompareOrdinal(a.ResultId, b.ResultId);

    private LabRecord(Dictionary<string, RecordedResult> byId)
    {
        _byId = byId;
        // One array sorted in place (result ids are distinct: no stable sort needed), not OrderBy/ThenBy's buffers and keys.
        var results = new RecordedResult[byId.Count];
        byId.Values.CopyTo(results, 0);
        Array.Sort(results, s_collectionOrder);
        Results = results;
        var current = new List<LabResult>(results.Length);
        foreach (var r in results)
        {
            if (!r.Withdrawn)
            {
                current.Add(r.Current);
            }
        }

        current.TrimExcess();
        Current = current;
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
        // One dictionary, sized once, that becomes the record's index: a result's first version is held alone (no list, no
        // array: most results are sent once); the versions of the few results sent more than once are gathered aside and
        // resolved at the end. On a 100,000-result record the grouping dictionary, the per-result lists and the growth of
        // both were most of what resolving allocated.
        var byId = new Dictionary<string, RecordedResult>(versions.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.Ordinal);
        Dictionary<string, List<LabResult>>? more = null;
        foreach (var v in versions)
        {
            ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(byId, v.ResultId, out var exists);
            if (!exists)
            {
                held = new RecordedResult(v.ResultId, v);
                continue;
            }

            more ??= new Dictionary<string, List<LabResult>>(StringComparer.Ordinal);
            if (!more.TryGetValue(v.ResultId, out var list))
            {
                more[v.ResultId] = list = [held!.Current];
            }

            list.Add(v);
        }

        foreach (var (id, list) in more ?? [])
        {
            var ordered = list.DistinctBy(v => v.VersionId.Length > 0 ? v.VersionId : ResultIds.ForVersion(v)).ToList();
            ordered.Sort(Precedence);
            byId[id] = new RecordedResult(id, ordered[^1], ordered);
        }

        byId.TrimExcess();
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
