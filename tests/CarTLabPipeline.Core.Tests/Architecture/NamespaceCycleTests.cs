namespace CarTLabPipeline.Core.Tests.Architecture;

public class NamespaceCycleTests
{
    [Fact]
    public void CoreNamespaces_FormNoCycle()
    {
        var evidence = NamespaceGraph.Evidence(typeof(PipelineNames).Assembly, "CarTLabPipeline");

        var cycles = NamespaceGraph.Cycles(NamespaceGraph.Of(typeof(PipelineNames).Assembly, "CarTLabPipeline")).ToList();

        Assert.True(cycles.Count == 0, "namespaces that depend on each other (move the type that makes the back edge):\n" + string.Join("\n", cycles.Select(c =>
            string.Join(", ", c) + "\n    " + string.Join("\n    ", c.SelectMany(from => evidence[from].Where(e => c.Contains(e.Key))
                .Select(e => $"{from} → {e.Key}: {string.Join("; ", e.Value.Take(4))}{(e.Value.Count > 4 ? $" (+{e.Value.Count - 4})" : "")}"))))));
    }

    [Fact]
    public void TheBrokenCycles_StayBroken()
    {
        var graph = NamespaceGraph.Of(typeof(PipelineNames).Assembly, "CarTLabPipeline");

        // Ingestion → Evaluation → Notifications → Ingestion (issue 14), the composition root in the root namespace,
        // Diagnostics ↔ Ingestion, Patients ↔ Notifications and Rules ↔ Rules.Mrd were broken by moving one type each;
        // the Ports cycle by giving each port the namespace of the model it speaks (IAlertStore beside Alert, IPatientStore
        // beside Enrollment, the file ports beside IngestionReport, the sending ports beside EmailMessage): Ports keeps
        // only the ports and messages that speak Domain types, so it depends on no area that uses it.
        Assert.Empty(graph["CarTLabPipeline"]);
        Assert.DoesNotContain("CarTLabPipeline.Evaluation", graph["CarTLabPipeline.Ingestion"]);
        Assert.DoesNotContain("CarTLabPipeline.Ingestion", graph["CarTLabPipeline.Diagnostics"]);
        Assert.DoesNotContain("CarTLabPipeline.Notifications", graph["CarTLabPipeline.Patients"]);
        Assert.DoesNotContain("CarTLabPipeline.Rules.Mrd", graph["CarTLabPipeline.Rules"]);
        Assert.All(graph["CarTLabPipeline.Ports"], n => Assert.Equal("CarTLabPipeline.Domain", n));
        Assert.DoesNotContain("CarTLabPipeline.Ingestion", graph["CarTLabPipeline.Alerts"]);
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
