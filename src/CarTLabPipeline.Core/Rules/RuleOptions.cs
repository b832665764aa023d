using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using CarTLabPipeline.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules;

/// <summary>
/// A rule's options: bound from the configuration section <c>Rules:{Section}</c> (environment:
/// <c>Rules__IgGLow__ThresholdMgPerDl=400</c>) and validated at start-up from its DataAnnotations attributes by
/// <see cref="RuleOptionsValidator{TOptions}"/>; an invalid value stops the host with a message naming the setting.
/// Each options class lives in its rule's folder; defaults are docs/design.md §6, docs/rules.md gives the published alternatives.
/// </summary>
public interface IRuleSection
{
    /// <summary>The configuration section of all rule options.</summary>
    const string Root = "Rules";

    /// <summary>The subsection under <see cref="Root"/>, e.g. <c>IgGLow</c>.</summary>
    static abstract string Section { get; }
}

/// <summary>Settings every rule has.</summary>
public abstract class RuleOptions
{
    /// <summary>False turns the rule off. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Severity of the alerts the rule raises.</summary>
    public AlertSeverity Severity { get; set; }

    /// <summary>The non-directive next step shown in the alert (local protocol wins).</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string SuggestedAction { get; set; } = string.Empty;
}

/// <summary>
/// Validates a rule's options from their attributes: every property's DataAnnotations, and the items of properties marked
/// <see cref="ValidateEnumeratedItemsAttribute"/> or <see cref="ValidateObjectMembersAttribute"/>. Messages name the
/// setting as configured (<c>Rules:IgGLow:ThresholdMgPerDl: …</c>). No list to keep: registering the options validates them.
/// </summary>
public sealed class RuleOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IRuleSection
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Collect(options, $"{IRuleSection.Root}:{TOptions.Section}", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object value, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var nested = property.GetValue(value);
            if (nested is null)
            {
                continue;
            }

            if (property.IsDefined(typeof(ValidateEnumeratedItemsAttribute)) && nested is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        Collect(item, $"{path}:{property.Name}:{i}", failures);
                    }

                    i++;
                }
            }
            else if (property.IsDefined(typeof(ValidateObjectMembersAttribute)))
            {
                Collect(nested, $"{path}:{property.Name}", failures);
            }
        }
    }
}

/// <summary>Registration of rules and their options: one line per rule.</summary>
public static class RuleServiceCollectionExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <c>Rules:{Section}</c> and validates it at start-up.</summary>
    public static IServiceCollection AddRuleOptions<TOptions>(this IServiceCollection services, IConfiguration configuration)
        where TOptions : class, IRuleSection
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TOptions>().Bind(configuration.GetSection($"{IRuleSection.Root}:{TOptions.Section}")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, RuleOptionsValidator<TOptions>>());
        return services;
    }

    /// <summary>Registers a rule evaluated over every patient's history, with its options.</summary>
    public static IServiceCollection AddRule<TRule, TOptions>(this IServiceCollection services, IConfiguration configuration)
        where TRule : class, IRule
        where TOptions : class, IRuleSection
    {
        services.AddRuleOptions<TOptions>(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRule, TRule>());
        return services;
    }
}
