using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Core.Tests.Alerts;

public class AlertIdsTests
{
    [Fact]
    public void Create_SameInputsInAnyOrder_GiveTheSameId()
    {
        Assert.Equal(AlertIds.Create("igg.low", "PT-1", ["a", "b"]), AlertIds.Create("igg.low", "PT-1", ["b", "a", "a"]));
    }

    [Theory]
    [InlineData("cd4.prophylaxis-stop", "PT-1", "a")]
    [InlineData("igg.low", "PT-2", "a")]
    [InlineData("igg.low", "PT-1", "c")]
    public void Create_AnyDifferentPart_GivesADifferentId(string rule, string patient, string result)
    {
        Assert.NotEqual(AlertIds.Create("igg.low", "PT-1", ["a"]), AlertIds.Create(rule, patient, [result]));
    }

    [Fact]
    public void Create_IsPinned_SoStoredIdsSurviveUpgrades()
    {
        // Ids are persisted (table keys, Service Bus MessageIds, email references): a change of scheme would re-raise every
        // alert. Golden values: the reference patient's IgG of day +28 and its igg.low alert.
        var resultId = ResultIds.ForResult("PT-0001", Analyte.IgG, new DateTimeOffset(2024, 9, 24, 8, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal("f5c239fc51f73f030df82ee3b77447bb", resultId);
        Assert.Equal("b0e9b2447efd5fe76f2c5f9e258ea78c", AlertIds.Create("igg.low", "PT-0001", [resultId]));
    }

    [Fact]
    public void ForResult_OffsetsOfTheSameInstant_GiveTheSameId()
    {
        var rome = new DateTimeOffset(2024, 10, 11, 9, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(ResultIds.ForResult("PT-1", Analyte.IgG, rome), ResultIds.ForResult("PT-1", Analyte.IgG, rome.ToUniversalTime()));
    }
}
