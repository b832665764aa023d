using System.CommandLine;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab rejected</c>: the rejection reports (<c>lab-results-rejected/*.errors.json</c>).</summary>
internal sealed class RejectedCommand(CliOutput output, ILabFileStore files)
{
    public static Command Define(CliContext cli)
    {
        var command = new Command("rejected", "List rejection reports (lab-results-rejected/*.errors.json)");
        command.SetAction((r, ct) => cli.RunAsync<RejectedCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(ct), ct));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var any = false;
        await foreach (var report in files.ListRejectionsAsync(ct).ConfigureAwait(false))
        {
            any = true;
            output.Out.WriteLine($"{report.File}  {report.Format.DisplayName()}  {report.Status.ToString().ToLowerInvariant()}: " +
                $"{report.Stored} stored, {report.Rejected} rejected  ({PipelineNames.Containers.Rejected}/{report.File}{BlobLabFileStore.ReportSuffix})");
            foreach (var error in report.Errors.Take(5))
            {
                output.Out.WriteLine($"    {error}");
            }

            if (report.Rejected > 5)
            {
                output.Out.WriteLine($"    … and {report.Rejected - 5} more");
            }
        }

        if (!any)
        {
            output.Out.WriteLine("No rejected files.");
        }

        return 0;
    }
}
