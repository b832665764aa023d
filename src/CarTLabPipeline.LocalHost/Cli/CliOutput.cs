using CarTLabPipeline.Results;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics and rejections to <see cref="Error"/>.</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error)
{
    /// <summary>
    /// Says on <see cref="Error"/> why a question about a patient's record has no answer (not enrolled; a record too large
    /// to read) and what resolves it; returns the command's exit code, 1.
    /// </summary>
    public int NoAnswer<T>(PatientQuery<T> query)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(query);
        Error.WriteLine(query.Status == PatientQueryStatus.RecordTooLarge
            ? $"{Capitalized(query.Detail)}."
            : $"Patient {query.PatientId} is not enrolled: check the id, or enroll them first ('cartlab enroll FILE').");
        return 1;
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
