using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules;

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
