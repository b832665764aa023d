namespace CarTLabPipeline.Ingestion;

/// <summary>Why a result in a file was skipped (not ours: not an error of the file).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SkipKind>))]
public enum SkipKind
{
    /// <summary>A LOINC (or other standard) code of an analyte this pipeline does not follow.</summary>
    NotFollowed,

    /// <summary>A local code no <c>LocalCodes</c> entry maps: it may be one of ours; the lab's mapping decides.</summary>
    UnmappedLocalCode,

    /// <summary>A result whose status carries no value yet (HL7 I, R, S…; FHIR registered).</summary>
    NoResultYet,

    /// <summary>A message that is not a result message (HL7 ADT, ORM…).</summary>
    NotAResultMessage,
}
