
namespace CarTLabPipeline.Ingestion;

/// <summary>How a lab writes dates whose parts are not in ISO order (<c>03/10/2025</c>).</summary>
public enum LabDateOrder
{
    /// <summary>ISO 8601 only (<c>2025-10-03</c>): any other date is rejected as ambiguous. The default.</summary>
    Iso,

    /// <summary>Day, month, year (<c>03/10/2025</c> = 3 October 2025), as European labs write.</summary>
    Dmy,

    /// <summary>Month, day, year (<c>03/10/2025</c> = 10 March 2025), as US labs write.</summary>
    Mdy,
}
