using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Patients;

/// <summary>The enrollment was not valid; <see cref="Errors"/> says what to fix.</summary>
public sealed class EnrollmentValidationException : PermanentPipelineException
{
    public EnrollmentValidationException(IReadOnlyList<ValidationResult> errors)
        : base("invalid enrollment: " + string.Join("; ", errors.Select(e => e.ErrorMessage)))
    {
        Errors = errors;
    }

    public EnrollmentValidationException()
        : this([])
    {
    }

    public EnrollmentValidationException(string message)
        : base(message)
    {
        Errors = [new ValidationResult(message)];
    }

    public EnrollmentValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ValidationResult(message)];
    }

    public IReadOnlyList<ValidationResult> Errors { get; } = [];
}
