using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Handles a <c>Microsoft.Storage.BlobCreated</c> event that Event Grid delivered to the <c>lab-results-events</c> queue
/// (Event Grid or CloudEvents schema): ingests the blob it names. Events for other containers, or for a blob deleted
/// since, are acknowledged and logged; the reconciliation sweep stays the safety net for events never delivered.
/// </summary>
public sealed partial class LabFileEventService(ILabFileStore files, LabFileIngestionService ingestion, ILogger<LabFileEventService> logger)
{
    private const string ContainerPrefix = "/blobServices/default/containers/" + PipelineNames.Containers.LabResults + "/blobs/";

    /// <returns>The ingestion report, or null when the event names no blob of the drop zone.</returns>
    /// <exception cref="PermanentPipelineException">The message is not a blob event (it goes to the poison queue at once).</exception>
    public async Task<IngestionReport?> HandleMessageAsync(string message, CancellationToken cancellationToken)
    {
        var name = BlobName(message);
        if (name is null)
        {
            LogIgnored(logger);
            return null;
        }

        var source = await files.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            LogBlobGone(logger, name);
            return null;
        }

        return await ingestion.IngestAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blob name under <c>lab-results</c> from the event's subject, or null for another container.</summary>
    /// <exception cref="PermanentPipelineException">Not an Event Grid or CloudEvents event.</exception>
    public static string? BlobName(string message)
    {
        try
        {
            using var json = JsonDocument.Parse(message);
            var root = json.RootElement.ValueKind == JsonValueKind.Array && json.RootElement.GetArrayLength() > 0 ? json.RootElement[0] : json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.String
                || subject.GetString() is not { } s)
            {
                throw new PermanentPipelineException("a lab-results-events message must be a BlobCreated event with a subject");
            }

            return s.StartsWith(ContainerPrefix, StringComparison.Ordinal) && s.Length > ContainerPrefix.Length
                ? Uri.UnescapeDataString(s[ContainerPrefix.Length..])
                : null;
        }
        catch (JsonException ex)
        {
            throw new PermanentPipelineException($"a lab-results-events message must be JSON: {ex.Message}", ex);
        }
    }

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Blob event for another container ignored")]
    private static partial void LogIgnored(ILogger logger);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Blob event for {File}, which no longer exists: nothing to ingest")]
    private static partial void LogBlobGone(ILogger logger, string file);
}
