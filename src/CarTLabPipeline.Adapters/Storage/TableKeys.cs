namespace CarTLabPipeline.Adapters.Storage;

/// <summary>Table keys may not contain <c>/ \ # ?</c> or control characters: names are escaped reversibly.</summary>
internal static class TableKeys
{
    public static string Escape(string value) => Uri.EscapeDataString(value);

    public static string Unescape(string key) => Uri.UnescapeDataString(key);

    /// <summary>OData string literal for a filter.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
