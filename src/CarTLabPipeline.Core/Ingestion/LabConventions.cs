
namespace CarTLabPipeline.Ingestion;

/// <summary>
/// One lab's conventions (<c>Ingestion__Labs__{lab}__…</c>). Every setting is optional; what none sets is read the safe
/// way, and what is ambiguous without it is rejected with a reason that names it.
/// </summary>
public sealed class LabConventions
{
    /// <summary>IANA zone of the lab's clock: a time sent without a UTC offset is read in it (default <c>DefaultTimeZone</c>).</summary>
    public string? TimeZone { get; set; }

    /// <summary>Order of day and month in a non-ISO date (<c>DMY</c>, <c>MDY</c>); default ISO only.</summary>
    public LabDateOrder? DateOrder { get; set; }

    /// <summary>
    /// The lab's decimal separator, <c>.</c> or <c>,</c>; the other is then its thousands separator. Unset: <c>.</c> is
    /// read as the decimal point, and numbers where either reading is possible (<c>1.200</c>, <c>210,000</c>) or that
    /// use <c>,</c> as a decimal point are rejected.
    /// </summary>
    public string? DecimalSeparator { get; set; }

    /// <summary>Unit of an MRD number sent without one: <c>%</c> or <c>fraction</c>; unset: such a number is rejected.</summary>
    public string? MrdUnit { get; set; }

    /// <summary>
    /// Patient identifier systems accepted besides the typed ones (HL7 CX-5 MR/PI/PT, FHIR <c>identifier.type</c> MR/PI/PT):
    /// an HL7 assigning authority (CX-4) or a FHIR <c>identifier.system</c>, e.g. <c>HOSP</c>, <c>urn:oid:1.2.3</c>.
    /// </summary>
    public List<string> PatientIdSystems { get; set; } = [];

    /// <summary>
    /// How often the lab sends at least one file (<c>Ingestion__Labs__{lab}__ExpectedEvery=1.02:00:00</c> for a daily feed
    /// with two hours' slack). Longer without a file raises the ops alert <c>ingest.feed-silent</c>; unset: not watched.
    /// </summary>
    public TimeSpan? ExpectedEvery { get; set; }

    /// <summary>Local (non-LOINC) result codes → analyte keyword (<c>Ingestion__Labs__{lab}__LocalCodes__WBC=wbc</c>).</summary>
    public Dictionary<string, string> LocalCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
