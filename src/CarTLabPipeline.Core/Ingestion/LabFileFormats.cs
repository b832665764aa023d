
namespace CarTLabPipeline.Ingestion;

/// <summary>Display names of the formats.</summary>
public static class LabFileFormats
{
    /// <summary><c>CSV</c>, <c>HL7 v2</c>, <c>FHIR R4</c>, <c>unknown format</c>.</summary>
    public static string DisplayName(this LabFileFormat format) => format switch
    {
        LabFileFormat.Csv => "CSV",
        LabFileFormat.Hl7v2 => "HL7 v2",
        LabFileFormat.FhirJson => "FHIR R4",
        _ => "unknown format",
    };
}
