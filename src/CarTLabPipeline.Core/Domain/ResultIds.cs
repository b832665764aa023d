using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CarTLabPipeline.Domain;

/// <summary>Deterministic identifiers: the same input always gives the same id, on every host and in every format.</summary>
public static class ResultIds
{
    /// <summary>
    /// The id of a result: patient + the lab's identity of the result (<see cref="ResultIdentity"/>). Every version of the
    /// result (preliminary, final, corrected, cancelled), in any format and file, has this id.
    /// </summary>
    public static string ForIdentity(string patientId, string identity) => Hash("result", patientId, identity);

    /// <summary>The id of a result the lab gave no identity to: patient + analyte + collection instant (no specimen).</summary>
    public static string ForResult(string patientId, Analyte analyte, DateTimeOffset collectedAt) =>
        ForIdentity(patientId, ResultIdentity.FromCollection(analyte, null, collectedAt));

    /// <summary>The id of one version of a result: a hash of what the lab said in it (never of where or when it arrived).</summary>
    public static string ForVersion(LabResult version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var parts = new[]
        {
            "version", version.ResultId, version.Status.ToString(), version.OriginalValue.Trim(), version.OriginalUnit.Trim(),
            Utc(version.CollectedAt), version.ReportedAt is { } r ? Utc(r) : string.Empty,
            version.Sensitivity?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, version.Specimen?.Trim() ?? string.Empty,
        };

        // A date or a message time is part of what the lab said; an instant adds nothing, so ids of stored versions stay.
        return version.CollectedAtKind == CollectionTimeKind.Instant ? Hash(parts) : Hash([.. parts, version.CollectedAtKind.ToString()]);
    }

    /// <summary>An instant as UTC text with 100-ns precision (the same instant in any offset gives the same text).</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>SHA-256 of the parts joined with a separator that cannot occur in them, as 32 lower-case hex characters.</summary>
    public static string Hash(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var joined = string.Join('\u001f', parts);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(joined), digest);
        return Convert.ToHexStringLower(digest[..16]);
    }
}
