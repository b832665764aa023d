using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>One ingested file in a few lines: the outcome (to stderr, or <c>stdout</c> in the demo), then its warnings and errors (stderr).</summary>
internal sealed class IngestionReportPrinter(CliOutput output)
{
    public void Print(IngestionReport report, TextWriter? to = null)
    {
        var outcome = to ?? output.Error;
        var format = report.Format.DisplayName();
        var line = report.Status switch
        {
            IngestionStatus.Duplicate => report.DuplicateOf == report.File
                ? $"   = {report.File} ({format}): unchanged since it was processed"
                : $"   = {report.File} ({format}): same content already processed as {report.DuplicateOf}",
            IngestionStatus.Rejected => $"   ✗ {report.File} ({format}): rejected",
            IngestionStatus.Processing =>
                $"   … {report.File} ({format}): another process (e.g. 'cartlab serve', the deployed app) is ingesting this content now; its results and alerts follow when it finishes",
            _ when report.Stored == 0 && report.Rejected == 0 =>
                $"   – {report.File} ({format}): nothing to store" + (report.Skipped > 0 ? $" — {IngestionReportText.Skipped(report)}" : string.Empty),
            _ => $"   {(report.Rejected > 0 ? "!" : "✓")} {report.File} ({format}): {report.Stored} stored, {report.Rejected} rejected, " +
                (report.Skipped > 0 ? IngestionReportText.Skipped(report) : "0 skipped"),
        };
        outcome.WriteLine(line);
        foreach (var warning in report.Warnings.Take(10))
        {
            output.Error.WriteLine($"     {report.File}: kept, but {warning}");
        }

        if (report.UnknownPatients.Count > 0)
        {
            outcome.WriteLine($"     not enrolled (stored, evaluated once enrolled): {string.Join(", ", report.UnknownPatients)}");
        }

        foreach (var error in report.Errors.Take(10))
        {
            output.Error.WriteLine($"     {report.File}: {error}");
        }

        if (report.Rejected > 10)
        {
            output.Error.WriteLine($"     … {report.Rejected - 10} more; full report: {PipelineNames.Containers.Rejected}/{report.File}{BlobLabFileStore.ReportSuffix}");
        }
    }
}
