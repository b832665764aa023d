using System.Text.Json;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// One result posted as JSON on <c>lab-results-inbound</c> (docs/design.md §4: the CSV's fields in camelCase; <c>value</c> a
/// number or a text such as <c>"&lt;0.01"</c>). Normalised like a file row, stored, evaluated. A message that can never be
/// processed is moved at once to <c>lab-results-inbound-poison</c> as <c>{reason, message}</c>, so it neither blocks
/// the queue nor is retried for nothing; storage failures throw and are retried by the queue.
/// </summary>
public sealed class InboundResultService(
    ResultNormalizer normalizer,
    ILabResultStore results,
    IPatientStore patients,
    IPipelineQueue queue,
    UnknownPatientAlerts unknownPatients,
    PoisonMessages poison)
{
    public const string PoisonQueue = PipelineNames.Queues.LabResultsInbound + PipelineNames.Queues.PoisonSuffix;

    public async Task<InboundOutcome> HandleMessageAsync(string message, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (raw, readError) = Read(message);
        var outcome = raw is null ? default : normalizer.Normalize(raw, $"{PipelineNames.Queues.LabResultsInbound}/{messageId}");
        var error = readError ?? outcome.Error;
        if (error is not null)
        {
            await poison.MoveAsync(PipelineNames.Queues.LabResultsInbound, messageId, message, error.ToString(), $"its {error.Field ?? "message"} could not be read",
                cancellationToken).ConfigureAwait(false);
            return new InboundOutcome(false, null, error);
        }

        var result = outcome.Result!;
        await results.UpsertAsync(result.PatientId, [result], cancellationToken).ConfigureAwait(false);
        if (!await patients.IsEnrolledAsync(result.PatientId, cancellationToken).ConfigureAwait(false))
        {
            await unknownPatients.RaiseAsync(result.PatientId, $"queue message {messageId}", 1, cancellationToken).ConfigureAwait(false);
        }

        await queue.SendAsync(PipelineNames.Queues.PatientEvaluations, new EvaluationRequest(result.PatientId, EvaluationRequest.ReasonResults), null, cancellationToken)
            .ConfigureAwait(false);
        return new InboundOutcome(true, result.ResultId, null);
    }

    private static (RawResult? Raw, IngestionError? Error) Read(string message)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(message).RootElement;
        }
        catch (JsonException ex)
        {
            return (null, new IngestionError(null, null, null, $"not JSON: {ex.Message}"));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, new IngestionError(null, null, null, "the message must be one JSON object (a result)"));
        }

        string? Text(string name) => root.TryGetProperty(name, out var p) ? p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => p.GetRawText(),
        } : null;

        // The queue carries the CSV's fields in camelCase (docs/design.md §4).
        string? Field(string csvName) => Text(CamelCase(csvName));
        foreach (var required in new[] { "patient_id", "collected_at", "analyte" })
        {
            if (string.IsNullOrWhiteSpace(Field(required)))
            {
                return (null, new IngestionError(null, null, CamelCase(required), $"missing {CamelCase(required)}"));
            }
        }

        return (RawResult.FromFields(Field), null);
    }

    private static string CamelCase(string csvName)
    {
        var parts = csvName.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
