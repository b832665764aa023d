using Azure;
using Azure.Identity;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>What a failure to reach the session's storage means for the person running <c>cartlab</c>: transient (exit 75) or not (exit 1), in one line.</summary>
internal static class StorageFailures
{
    /// <summary>The failure to throw instead of <paramref name="failure"/>; null when it is not a storage failure.</summary>
    public static Exception? Translate(Exception failure, StorageTarget target, TimeSpan timeout) => failure switch
    {
        // The SDK's text lists every credential it tried, with a link cut by any terminal: -v shows it.
        AuthenticationFailedException => new PermanentPipelineException(
            $"cannot sign in to reach {target.Description}: no usable Azure sign-in on this machine — sign in with 'az login' " +
            "(or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET for a service principal); -v lists each credential tried.", failure),
        RequestFailedException { Status: 401 or 403 } denied when target.SignedIn => new PermanentPipelineException(
            $"{target.Description} refused access ({denied.Status} {denied.ErrorCode}): the signed-in identity needs Storage Blob, Queue and Table " +
            "Data Contributor on the account (the deployment grants them to opsPrincipalId; docs/deploy.md).", failure),
        RequestFailedException { Status: 401 or 403 } denied => new PermanentPipelineException(
            $"{target.Description} refused access ({denied.Status} {denied.ErrorCode}): the account key in the connection string is wrong, or the " +
            "account does not accept keys (shared key access off, as in the deployment: use --account <name> and sign in).", failure),
        OperationCanceledException or TimeoutException => new TransientPipelineException(
            $"{target.Description} did not answer within {timeout.TotalSeconds:0} s: is it running, and reachable from here?", failure),
        RequestFailedException or HttpRequestException or System.Net.Sockets.SocketException or AggregateException => new TransientPipelineException(
            $"{target.Description} cannot be reached ({FirstLine(Innermost(failure).Message)}): is it running, and reachable from here?", failure),
        _ => null,
    };

    /// <summary>A connection string the storage clients cannot read, said without repeating it (it holds the account key).</summary>
    public static Exception? TranslateConnectionString(Exception failure) => failure is FormatException or ArgumentException or InvalidOperationException
        ? new PermanentPipelineException(
            $"--storage / AzureWebJobsStorage is not a storage connection string ({FirstLine(failure.Message).TrimEnd('.')}: an account name, a Base64 " +
            "account key or the endpoints are missing or malformed); expected " +
            "'DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net' or 'UseDevelopmentStorage=true' (or use --account).", failure)
        : null;

    /// <summary>The root cause ("Connection refused (127.0.0.1:10001)"), not the SDK's retry summary around it.</summary>
    private static Exception Innermost(Exception failure)
    {
        var inner = failure is AggregateException aggregate && aggregate.InnerExceptions.Count > 0 ? aggregate.InnerExceptions[^1] : failure.InnerException;
        return inner is null ? failure : Innermost(inner);
    }

    private static string FirstLine(string text)
    {
        var line = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
