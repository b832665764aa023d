using System.Text.Json;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Functions.Tests;

/// <summary>The built functions.metadata is what the Functions host indexes: its names must be the code's constants.</summary>
public class FunctionsMetadataTests
{
    private static readonly List<JsonElement> s_functions = Load();

    private static JsonElement Binding(string function) =>
        s_functions.Single(f => f.GetProperty("name").GetString() == function).GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("direction").GetString() == "In");

    [Fact]
    public void Metadata_ListsEveryTrigger()
    {
        Assert.Equal(
            ["AcknowledgeAlert", "AddPatientEvent", "Analytes", "DispatchAlert", "EnrollPatient", "EscalateAlerts", "EvaluatePatient", "GetAlert", "GetAlertChart", "GetPatient", "GetPatientResults", "GetPatientTimeline", "GetPatientTimelineData",
             "Health", "IngestLabFile", "IngestLabMessage", "ListAlerts", "Me", "MonitoringSchedule", "PipelineStatus", "PublishPipelineGauges", "ReconcileLabFiles", "ResumeNotifications", "WatchLabFeeds"],
            s_functions.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("EnrollPatient", "post", "patients", "Function")]
    [InlineData("GetPatient", "get", "patients/{id}", "Function")]
    [InlineData("AddPatientEvent", "post", "patients/{id}/events", "Function")]
    [InlineData("GetPatientResults", "get", "patients/{id}/results", "Function")]
    [InlineData("GetPatientTimeline", "get", "patients/{id}/timeline.png", "Function")]
    [InlineData("GetPatientTimelineData", "get", "patients/{id}/timeline", "Function")]
    [InlineData("Analytes", "get", "analytes", "Function")]
    [InlineData("ListAlerts", "get", "alerts", "Function")]
    [InlineData("AcknowledgeAlert", "post", "alerts/{id}/ack", "Function")]
    [InlineData("Me", "get", "me", "Function")]
    [InlineData("Health", "get", "health", "Anonymous")]
    [InlineData("PipelineStatus", "get", "status", "Function")]
    public void HttpFunctions_HaveTheirRoutesAndKeys(string function, string method, string route, string authLevel)
    {
        var binding = Binding(function);

        Assert.Equal("httpTrigger", binding.GetProperty("type").GetString());
        Assert.Equal([method], binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal((route, authLevel), (binding.GetProperty("route").GetString(), binding.GetProperty("authLevel").GetString()));
    }

    [Theory]
    [InlineData("MonitoringSchedule", "0 0 6 * * *")]
    [InlineData("ReconcileLabFiles", "0 */15 * * * *")]
    [InlineData("ResumeNotifications", "0 */5 * * * *")]
    public void TimerFunctions_RunOnTheirSchedules(string function, string schedule)
    {
        var binding = Binding(function);

        Assert.Equal(("timerTrigger", schedule), (binding.GetProperty("type").GetString(), binding.GetProperty("schedule").GetString()));
    }

    [Theory]
    [InlineData("IngestLabFile", PipelineNames.Queues.LabResultsEvents)]
    [InlineData("IngestLabMessage", PipelineNames.Queues.LabResultsInbound)]
    [InlineData("EvaluatePatient", PipelineNames.Queues.PatientEvaluations)]
    [InlineData("DispatchAlert", PipelineNames.Queues.AlertNotifications)]
    public void QueueFunctions_ListenOnTheContractQueues(string function, string queue)
    {
        var binding = Binding(function);

        Assert.Equal("queueTrigger", binding.GetProperty("type").GetString());
        Assert.Equal(queue, binding.GetProperty("queueName").GetString());
        Assert.Equal(SettingNames.StorageConnection, binding.GetProperty("connection").GetString());
    }

    /// <summary>Every trigger's connection, for the deployment contract test.</summary>
    internal static IEnumerable<string> Connections() =>
        s_functions.SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.TryGetProperty("connection", out _)).Select(b => b.GetProperty("connection").GetString()!).Distinct();

    /// <summary>Every queue a trigger listens on.</summary>
    internal static IEnumerable<string> TriggerQueues() =>
        s_functions.SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "queueTrigger").Select(b => b.GetProperty("queueName").GetString()!);

    private static List<JsonElement> Load()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory); // tests/X/bin/{Configuration}/net10.0/
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, "src", "CarTLabPipeline.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}: build src/CarTLabPipeline.Functions first");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
