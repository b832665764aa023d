using CarTLabPipeline.Patients;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Enrolls patients from enrollment JSON files, one line each; an invalid or missing file is said on stderr and the others go on.</summary>
internal sealed class EnrollmentFiles(EnrollmentService enrollments, CliOutput output)
{
    /// <returns>False when a file could not be enrolled.</returns>
    public async Task<bool> EnrollAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var ok = true;
        foreach (var file in files)
        {
            try
            {
                var json = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                var enrollment = await enrollments.EnrollAsync(EnrollmentService.Parse(json), cancellationToken).ConfigureAwait(false);
                output.Out.WriteLine($"   enrolled {enrollment.PatientId}: {enrollment.Product}, day 0 = {enrollment.InfusionDate:yyyy-MM-dd} ({enrollment.TimeZone}), " +
                    $"{enrollment.CareTeam.Count} care-team member(s)");
            }
            catch (EnrollmentValidationException ex)
            {
                output.Error.WriteLine($"{file}: {ex.Message}");
                ok = false;
            }
            catch (FileNotFoundException)
            {
                output.Error.WriteLine($"{file}: no such file");
                ok = false;
            }
        }

        return ok;
    }
}
