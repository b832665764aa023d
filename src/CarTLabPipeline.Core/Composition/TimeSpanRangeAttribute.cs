using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace CarTLabPipeline.Composition;

/// <summary>
/// A <see cref="TimeSpan"/> setting's allowed range, checked at start-up. Used instead of
/// <see cref="RangeAttribute"/> given <c>typeof(TimeSpan)</c> and two strings, which converts its limits lazily on first use and is not thread-safe: two hosts
/// validating their options at once in one process (the tests do) can see a half-converted limit and fail with
/// <see cref="InvalidCastException"/> (dotnet/runtime#1143). Here the limits are parsed once, in the constructor, and
/// never change. The message is the one <see cref="RangeAttribute"/> gives, so a setting error reads the same.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    /// <param name="minimum">The smallest allowed value, in the constant format (<c>d.hh:mm:ss</c>).</param>
    /// <param name="maximum">The largest allowed value, in the same format.</param>
    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture);
        Maximum = TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture);
        if (Minimum > Maximum)
        {
            throw new ArgumentException($"minimum {minimum} is above maximum {maximum}", nameof(minimum));
        }
    }

    public TimeSpan Minimum { get; }

    public TimeSpan Maximum { get; }

    /// <summary>Null is valid (as with <see cref="RangeAttribute"/>): <see cref="RequiredAttribute"/> says when it is not.</summary>
    public override bool IsValid(object? value) =>
        value is null || (value is TimeSpan span && span >= Minimum && span <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum.ToString("c", CultureInfo.InvariantCulture), Maximum.ToString("c", CultureInfo.InvariantCulture));
}
