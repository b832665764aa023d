namespace CarTLabPipeline.Domain;

/// <summary>
/// The lab's identity of a result: what the lab uses to correct or cancel it. Two results with different identities are
/// two results, whatever their collection time; one identity sent in two formats is one result.
/// </summary>
/// <remarks>
/// In order of preference:
/// <list type="number">
/// <item><c>ext:</c> the identity the source gives the result itself: FHIR <c>Observation.identifier</c> (<c>system|value</c>),
/// else the resource id within its source (<c>Observation/{id}@{lab folder}</c>).</item>
/// <item><c>acc:</c> the lab's order/accession number + analyte + sub-id: HL7 filler order number (OBR-3, else ORC-3, else
/// placer OBR-2) + the analyte OBX-3 maps to + OBX-4; CSV/queue <c>accession</c> + <c>analyte</c>. The lab's name is not part
/// of it, so the same accession sent by a lab's HL7 feed and by its CSV export is one result (the key lives inside the
/// patient's partition, where two labs' accession numbers for one analyte do not meet).</item>
/// <item><c>at:</c> only when the lab gives neither: analyte + specimen + collection instant.</item>
/// </list>
/// </remarks>
public static class ResultIdentity
{
    /// <summary>The source's own id of the result (FHIR identifier or resource id).</summary>
    public static string FromSource(string externalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        return "ext:" + externalId.Trim();
    }

    /// <summary>Accession (order number) + analyte + sub-id. The accession is compared without case or surrounding blanks.</summary>
    public static string FromAccession(string accession, Analyte analyte, string? subId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accession);
        return $"acc:{accession.Trim().ToUpperInvariant()}|{AnalyteCatalog.Get(analyte).Keyword}|{subId?.Trim() ?? string.Empty}";
    }

    /// <summary>The fallback when the lab gives no identity: analyte + kind of specimen + collection instant.</summary>
    public static string FromCollection(Analyte analyte, string? specimen, DateTimeOffset collectedAt) =>
        $"at:{AnalyteCatalog.Get(analyte).Keyword}|{SpecimenKind(specimen)}|{ResultIds.Utc(collectedAt)}";

    /// <summary>
    /// The kind of specimen for the fallback identity (<c>marrow</c>, <c>blood</c>, <c>serum</c>, <c>plasma</c>), so that
    /// "Bone marrow" and "BM" meet; any other text lower-cased; empty when not sent.
    /// </summary>
    public static string SpecimenKind(string? specimen)
    {
        var s = specimen?.Trim().ToLowerInvariant() ?? string.Empty;
        return s switch
        {
            "" => string.Empty,
            "bm" or "marrow" or "bone marrow" or "bone marrow aspirate" or "bma" => "marrow",
            "pb" or "blood" or "peripheral blood" or "whole blood" or "venous blood" or "bld" => "blood",
            "ser" or "serum" => "serum",
            "plas" or "plasma" => "plasma",
            _ when s.Contains("marrow", StringComparison.Ordinal) => "marrow",
            _ when s.Contains("blood", StringComparison.Ordinal) => "blood",
            _ => s,
        };
    }
}
