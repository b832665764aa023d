using System.Text.Json;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Reads MailDev's REST API (<c>/api/email</c>) for the demo's summary.</summary>
internal static class MailDevClient
{
    /// <summary>Mails in the inbox; null when MailDev does not answer.</summary>
    public static async Task<int?> CountAsync(Uri inbox, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = inbox, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await using var body = await http.GetStreamAsync(new Uri("api/email", UriKind.Relative), ct).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
            return json.RootElement.GetArrayLength();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
