using System.Reflection;
using System.Text.RegularExpressions;
using CarTLabPipeline.Alerts;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>
/// A setting that cannot be read, said the way it is set: <c>Email__Provider='Smpt' is not one of None, Smtp, SendGrid</c>
/// instead of the configuration binder's "Failed to convert configuration value … to type …" or the options validator's
/// "DataAnnotation validation failed for 'NotificationOptions' members: …".
/// </summary>
internal static partial class SettingErrors
{
    /// <summary>The line for a binder failure; null when <paramref name="failure"/> is not one.</summary>
    public static string? Describe(InvalidOperationException failure)
    {
        var match = ConversionFailure().Match(failure.Message);
        if (!match.Success)
        {
            return null;
        }

        var (value, path, typeName) = (match.Groups["value"].Value, match.Groups["path"].Value, match.Groups["type"].Value);
        var expected = FindType(typeName) is { IsEnum: true } e ? "one of " + string.Join(", ", Enum.GetNames(e)) : PipelineJson.TypeInWords(typeName);
        return $"setting {SettingName(path)}='{value}' is not {expected}";
    }

    /// <summary>The validator's failures with the setting each one names.</summary>
    public static string Describe(OptionsValidationException invalid)
    {
        var section = invalid.OptionsType.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        return "configuration: " + string.Join("; ", invalid.Failures.Select(f =>
            ValidationFailure().Match(f) is { Success: true } m
                ? $"{SettingName(string.IsNullOrEmpty(section) ? m.Groups["member"].Value : $"{section}:{m.Groups["member"].Value}")}: {m.Groups["error"].Value}"
                : f));
    }

    /// <summary><c>Email:Provider</c> as an environment variable names it: <c>Email__Provider</c>.</summary>
    private static string SettingName(string path) => path.Replace(":", "__", StringComparison.Ordinal);

    private static Type? FindType(string name) =>
        Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']+' members: '(?<member>[^']+)' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex ValidationFailure();
}
