using Azure;
using Azure.Identity;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>What a failure to reach the session's storage means for the person running <c>cartlab</c>: transient (exit 75) or not (exit 1), in one line.</summary>
internal static class StorageFailures
{
    /// <summary>The failure to throw instead of <paramref name="failure"/>; null when it is not a storage failure.</summary>
    public static Exception? Translate(Exception failure, StorageTarget target, TimeSpan timeout) => failure switch
    {
        AuthenticationFailedException => new PermanentPipelineException(
            $"cannot sign in to {target.Description}: {FirstLine(failure.Message)} — sign in with 'az login' (DefaultAzureCredential).", failure),
        RequestFailedException { Status: 401 or 403 } denied => new PermanentPipelineException(
            $"{target.Description} refused access ({denied.Status} {denied.ErrorCode}): the signed-in identity needs Storage Blob, Queue and Table " +
            "Data Contributor on the account (the deployment grants them to opsPrincipalId; docs/deploy.md).", failure),
        OperationCanceledException or TimeoutException => new TransientPipelineException(
            $"{target.Description} did not answer within {timeout.TotalSeconds:0} s: is it running, and reachable from here?", failure),
        RequestFailedException or HttpRequestException or System.Net.Sockets.SocketException or AggregateException => new TransientPipelineException(
            $"{target.Description} cannot be reached: {FirstLine(failure.Message)}", failure),
        _ => null,
    };

    /// <summary>A connection string the storage clients cannot read, said without repeating it (it holds the account key).</summary>
    public static Exception? TranslateConnectionString(Exception failure) => failure is FormatException or ArgumentException or InvalidOperationException
        ? new PermanentPipelineException(
            $"--storage / AzureWebJobsStorage is not a storage connection string ({FirstLine(failure.Message)}); expected " +
            "'DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net' or 'UseDevelopmentStorage=true' (or use --account).", failure)
        : null;

    private static string FirstLine(string text)
    {
        var line = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
