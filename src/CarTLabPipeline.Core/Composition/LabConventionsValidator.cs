using CarTLabPipeline.Ingestion;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Composition;

/// <summary>
/// Each lab's conventions, checked at start-up; a failure names the lab, the setting and the value it got, as the
/// environment variable an engineer sets (<c>Ingestion__Labs__labx__TimeZone</c>).
/// </summary>
internal sealed class LabConventionsValidator : IValidateOptions<IngestionOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (lab, l) in options.Labs)
        {
            string Setting(string key) => $"{IngestionOptions.SectionName}__Labs__{lab}__{key}";
            if (l.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                failures.Add($"{Setting("TimeZone")}='{zone}' is not an IANA time zone id (e.g. Europe/Rome)");
            }

            if (l.DecimalSeparator is { } separator && separator is not ("." or ","))
            {
                failures.Add($"{Setting("DecimalSeparator")}='{separator}' must be . or ,");
            }

            if (l.ExpectedEvery is { } every && (every < TimeSpan.FromMinutes(5) || every > TimeSpan.FromDays(365)))
            {
                failures.Add($"{Setting("ExpectedEvery")}='{every}' must be between 5 minutes and 365 days (e.g. 1.02:00:00 for a daily feed)");
            }

            if (l.MrdUnit is { } unit && unit is not ("%" or "fraction"))
            {
                failures.Add($"{Setting("MrdUnit")}='{unit}' must be % or fraction");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
