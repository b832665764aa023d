namespace CarTLabPipeline.Core.Tests.Architecture;

public class NamespaceCycleTests
{
    /// <summary>
    /// The one cycle left, and why: the port interfaces (<c>Ports</c>) name types that live beside the services using
    /// those ports — <c>Alert</c> beside <c>AlertQueryService</c>, <c>IngestionReport</c> beside the ingestion services,
    /// <c>Enrollment</c> beside <c>EnrollmentService</c>, <c>EmailMessage</c>/<c>TrendChart</c> beside the notification
    /// services — and the rules and ops alerts tie <c>Rules</c> in. It goes when those model types move to <c>Domain</c>
    /// (deferred while the enrollment and ingestion work is in flight). A cycle may only shrink inside this set: a new
    /// cycle, or a namespace joining this one, fails.
    /// </summary>
    private static readonly HashSet<string> s_portsCycle = new(StringComparer.Ordinal)
    {
        "CarTLabPipeline.Alerts",
        "CarTLabPipeline.Ingestion",
        "CarTLabPipeline.Notifications",
        "CarTLabPipeline.Patients",
        "CarTLabPipeline.Ports",
        "CarTLabPipeline.Rules",
        "CarTLabPipeline.Rules.UnknownPatient",
    };

    [Fact]
    public void CoreNamespaces_FormNoCycle_BeyondTheKnownPortsCycle()
    {
        var evidence = NamespaceGraph.Evidence(typeof(PipelineNames).Assembly, "CarTLabPipeline");

        var cycles = NamespaceGraph.Cycles(NamespaceGraph.Of(typeof(PipelineNames).Assembly, "CarTLabPipeline"))
            .Where(c => !c.All(s_portsCycle.Contains))
            .ToList();

        Assert.True(cycles.Count == 0, "namespaces that depend on each other (move the type that makes the back edge):\n" + string.Join("\n", cycles.Select(c =>
            string.Join(", ", c) + "\n    " + string.Join("\n    ", c.SelectMany(from => evidence[from].Where(e => c.Contains(e.Key))
                .Select(e => $"{from} → {e.Key}: {string.Join("; ", e.Value.Take(4))}{(e.Value.Count > 4 ? $" (+{e.Value.Count - 4})" : "")}"))))));
    }

    [Fact]
    public void TheBrokenCycles_StayBroken()
    {
        var graph = NamespaceGraph.Of(typeof(PipelineNames).Assembly, "CarTLabPipeline");

        // Ingestion → Evaluation → Notifications → Ingestion (issue 14), the composition root in the root namespace,
        // Diagnostics ↔ Ingestion, Patients ↔ Notifications and Rules ↔ Rules.Mrd were broken by moving one type each.
        Assert.Empty(graph["CarTLabPipeline"]);
        Assert.DoesNotContain("CarTLabPipeline.Evaluation", graph["CarTLabPipeline.Ingestion"]);
        Assert.DoesNotContain("CarTLabPipeline.Ingestion", graph["CarTLabPipeline.Diagnostics"]);
        Assert.DoesNotContain("CarTLabPipeline.Notifications", graph["CarTLabPipeline.Patients"]);
        Assert.DoesNotContain("CarTLabPipeline.Rules.Mrd", graph["CarTLabPipeline.Rules"]);
    }

    [Fact]
    public void Cycles_FindsABackEdge_AndNothingInALayeredGraph()
    {
        var layered = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = new(["B", "C"]),
            ["B"] = new(["C"]),
            ["C"] = [],
        };
        var cyclic = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = new(["B"]),
            ["B"] = new(["C"]),
            ["C"] = new(["A"]),
            ["D"] = new(["A"]),
        };

        Assert.Empty(NamespaceGraph.Cycles(layered));
        Assert.Equal(["A", "B", "C"], Assert.Single(NamespaceGraph.Cycles(cyclic)));
    }
}
