
namespace CarTLabPipeline.Ingestion;

/// <summary>The formats labs drop.</summary>
public enum LabFileFormat
{
    Unknown,
    Csv,
    Hl7v2,
    FhirJson,
}
