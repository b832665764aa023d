using CarTLabPipeline.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Rules;

public class RulesOptionsTests
{
    private static RulesOptions Resolve(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        using var provider = new ServiceCollection().AddCarTLabPipelineCore(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RulesOptions>>().Value;
    }

    [Fact]
    public void Defaults_AreTheDesignValues()
    {
        var o = Resolve();

        Assert.Equal((300d, 300d, 0.5d, 25d, 8.0d, 1.0d, 20d, 180), (o.IgGLow.ThresholdMgPerDl, o.Cd4ProphylaxisStop.ThresholdCellsPerUl,
            o.SevereNeutropenia.Threshold, o.SevereThrombocytopenia.Threshold, o.SevereAnemia.Threshold,
            o.BCellRecovery.PercentThreshold, o.BCellRecovery.AbsoluteThreshold, o.BCellRecovery.EarlyDayLimit));
        Assert.Equal(1e-4, o.Mrd.ThresholdFraction);
    }

    [Fact]
    public void PublishedAlternatives_AreOneSettingAway()
    {
        var o = Resolve(("Rules:IgGLow:ThresholdMgPerDl", "400"), ("Rules:Cd4ProphylaxisStop:ThresholdCellsPerUl", "200"),
            ("Rules:Cd4ProphylaxisStop:ConsecutiveResults", "2"), ("Rules:Cd4ProphylaxisStop:MinSpanDays", "28"));

        Assert.Equal((400d, 200d, 2, 28), (o.IgGLow.ThresholdMgPerDl, o.Cd4ProphylaxisStop.ThresholdCellsPerUl,
            o.Cd4ProphylaxisStop.ConsecutiveResults, o.Cd4ProphylaxisStop.MinSpanDays));
    }

    [Theory]
    [InlineData("Rules:IgGLow:ThresholdMgPerDl", "5", "Rules:IgGLow:ThresholdMgPerDl")]
    [InlineData("Rules:SevereNeutropenia:Threshold", "50", "Rules:SevereNeutropenia:Threshold")]
    [InlineData("Rules:BCellRecovery:ConsecutiveResults", "0", "Rules:BCellRecovery:ConsecutiveResults")]
    [InlineData("Rules:MrdRising:SuggestedAction", "", "Rules:MrdRising:SuggestedAction")]
    public void InvalidValue_StopsStartUpNamingTheSetting(string key, string value, string named)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve((key, value)));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
