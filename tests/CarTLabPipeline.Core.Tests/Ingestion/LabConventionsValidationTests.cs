using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Ingestion;

public class LabConventionsValidationTests
{
    [Theory]
    [InlineData("TimeZone", "Europe/Milan", "Ingestion__Labs__labx__TimeZone='Europe/Milan' is not an IANA time zone id")]
    [InlineData("DecimalSeparator", "comma", "Ingestion__Labs__labx__DecimalSeparator='comma' must be . or ,")]
    [InlineData("MrdUnit", "percent", "Ingestion__Labs__labx__MrdUnit='percent' must be % or fraction")]
    public void AnInvalidLabSetting_FailsStartUp_NamingTheLabTheSettingAndTheValue(string setting, string value, string expected)
    {
        var ex = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            new InMemoryPipeline(new Dictionary<string, string?> { [$"Ingestion:Labs:labx:{setting}"] = value }));

        Assert.Contains(ex.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }
}
