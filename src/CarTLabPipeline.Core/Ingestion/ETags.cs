namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Blob ETags compared by value: the same version is <c>"0x8DC…"</c> in a response header, <c>0x8DC…</c> in a listing
/// and may carry a weak <c>W/</c> prefix, so the ledger's text and the listing's differ for the same blob.
/// </summary>
public static class ETags
{
    /// <summary>The ETag without a <c>W/</c> prefix and surrounding quotes (and blanks); null for null or empty.</summary>
    public static string? Canonical(string? etag)
    {
        var t = etag.AsSpan().Trim();
        if (t.StartsWith("W/", StringComparison.OrdinalIgnoreCase))
        {
            t = t[2..].Trim();
        }

        if (t.Length >= 2 && t[0] == '"' && t[^1] == '"')
        {
            t = t[1..^1];
        }

        return t.IsEmpty ? null : t.ToString();
    }

    /// <summary>True when both name the same version: their <see cref="Canonical"/> forms are equal (ordinal; both missing too).</summary>
    public static bool Same(string? a, string? b) => string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal);
}
