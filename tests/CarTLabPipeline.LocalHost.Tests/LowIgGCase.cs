namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>
/// A patient of its own (unique id: the tests of a collection share one Azurite) with one care-team member, and a CSV of
/// one IgG of 250 mg/dL on day +28: enrolling and processing them raises exactly one <c>igg.low</c> alert.
/// </summary>
internal sealed record LowIgGCase(string PatientId, string Enrollment, string Csv)
{
    public static async Task<LowIgGCase> WriteAsync(string prefix)
    {
        var patient = $"PT-{prefix}-{Guid.NewGuid():N}"[..14];
        var enrollment = Path.Combine(Path.GetTempPath(), $"{patient}.json");
        await File.WriteAllTextAsync(enrollment, $$"""{"patientId":"{{patient}}","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Europe/Rome","careTeam":[{"name":"Dr A","email":"dr.a@hospital.example"}]}""");
        var csv = Path.Combine(Path.GetTempPath(), $"{patient}-igg.csv");
        await File.WriteAllTextAsync(csv, $"patient_id,collected_at,analyte,value,unit\n{patient},2024-09-24T08:00:00+02:00,igg,250,mg/dL\n");
        return new LowIgGCase(patient, enrollment, csv);
    }
}
