using CarTLabPipeline.Composition;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.BCellRecovery;
using CarTLabPipeline.Rules.Cd4ProphylaxisStop;
using CarTLabPipeline.Rules.IgGLow;
using CarTLabPipeline.Rules.Mrd;
using CarTLabPipeline.Rules.SevereAnemia;
using CarTLabPipeline.Rules.SevereNeutropenia;
using CarTLabPipeline.Rules.SevereThrombocytopenia;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Rules;

public class RulesOptionsTests
{
    private static ServiceProvider Provider(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        return new ServiceCollection().AddCarTLabPipelineCore(configuration).BuildServiceProvider();
    }

    private static T Get<T>(ServiceProvider provider)
        where T : class => provider.GetRequiredService<IOptions<T>>().Value;

    /// <summary>What the host does at start-up: validates every options registration marked ValidateOnStart.</summary>
    private static void ResolveAll(ServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Defaults_AreTheDesignValues()
    {
        using var p = Provider();

        Assert.Equal((300d, 300d, 0.5d, 25d, 8.0d, 1.0d, 20d, 180), (Get<IgGLowOptions>(p).ThresholdMgPerDl, Get<Cd4ProphylaxisStopOptions>(p).ThresholdCellsPerUl,
            Get<SevereNeutropeniaOptions>(p).Threshold, Get<SevereThrombocytopeniaOptions>(p).Threshold, Get<SevereAnemiaOptions>(p).Threshold,
            Get<BCellRecoveryOptions>(p).PercentThreshold, Get<BCellRecoveryOptions>(p).AbsoluteThreshold, Get<BCellRecoveryOptions>(p).EarlyDayLimit));
        Assert.Equal(1e-4, Get<MrdOptions>(p).ThresholdFraction);
        Assert.Equal((0.5d, 20d, 3, true), (Get<SevereNeutropeniaOptions>(p).RecoveryThreshold, Get<SevereThrombocytopeniaOptions>(p).RecoveryThreshold,
            Get<SevereNeutropeniaOptions>(p).RecoveryValues, Get<SevereThrombocytopeniaOptions>(p).RecoveryOnConsecutiveDays));
    }

    [Fact]
    public void PublishedAlternatives_AreOneSettingAway()
    {
        using var p = Provider(("Rules:IgGLow:ThresholdMgPerDl", "400"), ("Rules:Cd4ProphylaxisStop:ThresholdCellsPerUl", "200"),
            ("Rules:Cd4ProphylaxisStop:ConsecutiveResults", "2"), ("Rules:Cd4ProphylaxisStop:MinSpanDays", "28"));

        var cd4 = Get<Cd4ProphylaxisStopOptions>(p);
        Assert.Equal((400d, 200d, 2, 28), (Get<IgGLowOptions>(p).ThresholdMgPerDl, cd4.ThresholdCellsPerUl, cd4.ConsecutiveResults, cd4.MinSpanDays));
    }

    [Theory]
    [InlineData("Rules:IgGLow:ThresholdMgPerDl", "5", "Rules:IgGLow:ThresholdMgPerDl")]
    [InlineData("Rules:SevereNeutropenia:Threshold", "50", "Rules:SevereNeutropenia:Threshold")]
    [InlineData("Rules:SevereThrombocytopenia:RecoveryValues", "0", "Rules:SevereThrombocytopenia:RecoveryValues")]
    [InlineData("Rules:BCellRecovery:ConsecutiveResults", "0", "Rules:BCellRecovery:ConsecutiveResults")]
    [InlineData("Rules:MrdRising:SuggestedAction", "", "Rules:MrdRising:SuggestedAction")]
    [InlineData("Rules:MrdNoResponse:WindowDays", "0", "Rules:MrdNoResponse:WindowDays")]
    [InlineData("Rules:Mrd:ThresholdFraction", "2", "Rules:Mrd:ThresholdFraction")]
    [InlineData("Rules:UnknownPatient:SuggestedAction", "", "Rules:UnknownPatient:SuggestedAction")]
    public void InvalidValue_StopsStartUpNamingTheSetting(string key, string value, string named)
    {
        using var p = Provider((key, value));

        var ex = Assert.Throws<OptionsValidationException>(() => ResolveAll(p));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRule_HasItsOwnFolderWithItsOptions_AndIsRegistered()
    {
        var rules = typeof(IRule).Assembly.GetTypes().Where(t => typeof(IRule).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface).ToList();

        foreach (var rule in rules)
        {
            Assert.StartsWith("CarTLabPipeline.Rules.", rule.Namespace, StringComparison.Ordinal);
            Assert.Contains(rule.Assembly.GetTypes(), t => t.Namespace == rule.Namespace && typeof(IRuleSection).IsAssignableFrom(t));
        }

        Assert.Equal(rules.Count, rules.Select(r => r.Namespace).Distinct().Count());
        Assert.Equal(rules.Select(r => r.FullName).Order(), TestData.Engine().Rules.Select(r => r.GetType().FullName).Order());
    }
}
