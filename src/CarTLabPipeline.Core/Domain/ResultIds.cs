using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CarTLabPipeline.Domain;

/// <summary>Deterministic identifiers: the same input always gives the same id, on every host and in every format.</summary>
public static class ResultIds
{
    /// <summary>
    /// The id of a result: patient + analyte + collection instant. Independent of the file format and file name, so the
    /// same result sent as CSV, HL7 or FHIR is stored once and a correction of it replaces it.
    /// </summary>
    public static string ForResult(string patientId, Analyte analyte, DateTimeOffset collectedAt) =>
        Hash("result", patientId, AnalyteCatalog.Get(analyte).Keyword,
            collectedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));

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
