using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules;

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
