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
        // alert. Golden values: the reference patient's IgG of day +28 (accession CL-240924-11) and its igg.low alert;
        // the same IgG from a lab that gives no identity (analyte + specimen + instant).
        var resultId = ResultIds.ForIdentity("PT-0001", ResultIdentity.FromAccession(" cl-240924-11 ", Analyte.IgG, null));
        var fallback = ResultIds.ForIdentity("PT-0001",
            ResultIdentity.FromCollection(Analyte.IgG, "Serum", new DateTimeOffset(2024, 9, 24, 8, 0, 0, TimeSpan.FromHours(2))));

        Assert.Equal("0a1fb584ad13cbe7e4434ef6fdf553f5", resultId);
        Assert.Equal("2e9488e26e08ef23d4f84f485a079088", fallback);
        Assert.Equal("7f81b235aa95af29e771088390cbd2a4", AlertIds.Create("igg.low", "PT-0001", [resultId]));
    }

    [Fact]
    public void ForResult_OffsetsOfTheSameInstant_GiveTheSameId()
    {
        var rome = new DateTimeOffset(2024, 10, 11, 9, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(ResultIds.ForResult("PT-1", Analyte.IgG, rome), ResultIds.ForResult("PT-1", Analyte.IgG, rome.ToUniversalTime()));
    }
}
