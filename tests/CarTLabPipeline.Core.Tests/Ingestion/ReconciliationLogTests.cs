using CarTLabPipeline.Ingestion;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Core.Tests.Ingestion;

/// <summary>What the sweep says it did: a file skipped as a duplicate is not "ingested" (it said so, issue 16).</summary>
public class ReconciliationLogTests
{
    [Fact]
    public async Task SweepCompleted_DuplicateContent_IsCountedAsSkipped_NotAsIngested()
    {
        var rig = new IngestionRig();
        var log = new LinesLogger();
        var sweep = new ReconciliationService(rig.Files, rig.Ledger, rig.Ingestion, rig.Time, log);
        rig.Files.Add("a/first.csv", IngestionRig.Csv("PT-LOG-1"));
        await sweep.SweepAsync(default);
        rig.Files.Add("a/again.csv", IngestionRig.Csv("PT-LOG-1"));

        await sweep.SweepAsync(default);

        Assert.Equal(
            "Reconciliation sweep: 0 file(s) ingested that the triggers had not, 1 skipped (content already processed), 0 in progress elsewhere; 0 failed, 0 wait for a retry",
            log.Lines[^1]);
        Assert.StartsWith("Reconciliation sweep: 1 file(s) ingested", log.Lines.First(l => l.StartsWith("Reconciliation sweep:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private sealed class LinesLogger : ILogger<ReconciliationService>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
