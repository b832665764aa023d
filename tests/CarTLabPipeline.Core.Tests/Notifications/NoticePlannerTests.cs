using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Core.Tests.Notifications;

public class NoticePlannerTests
{
    private static readonly NoticeTarget[] s_targets = [new("lab-alerts", null), new("email", "dr.a@hospital.example")];

    private static Alert Alert(int revision = 1, AlertStatus status = AlertStatus.Open) =>
        Assert.Single(TestData.Fired("igg.low", [TestData.Result(Domain.Analyte.IgG, 45, 250m)])) with { Revision = revision, Status = status };

    private static Dictionary<string, Delivery> Sent(Dictionary<string, Delivery> plan) =>
        plan.ToDictionary(p => p.Key, p => p.Value.State == DeliveryState.Pending ? p.Value with { State = DeliveryState.Sent } : p.Value);

    private static List<(string Channel, string Event, int Revision)> Pending(Dictionary<string, Delivery> plan) =>
        [.. plan.Values.Where(d => d.State == DeliveryState.Pending).Select(d => (d.Channel, d.Event, d.Revision)).OrderBy(x => x.Channel)];

    [Fact]
    public void NewAlert_RaisedOncePerTarget()
    {
        var plan = NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets);
        Assert.Equal([("email", "raised", 1), ("lab-alerts", "raised", 1)], Pending(plan));
    }

    [Fact]
    public void RevisedAfterTheRaiseWasSent_OneUpdatePerTarget_AndPlanningAgainAddsNothing()
    {
        var told = Sent(NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets));
        var plan = NoticePlanner.Plan(told, Alert(revision: 2), s_targets);
        Assert.Equal([("email", "updated", 2), ("lab-alerts", "updated", 2)], Pending(plan));
        Assert.Equal(plan.Keys.Order(), NoticePlanner.Plan(plan, Alert(revision: 2), s_targets).Keys.Order());
    }

    [Fact]
    public void RevisedBeforeTheRaiseWasSent_TheRaiseIsReplaced_NotFollowedByAnUpdate()
    {
        var waiting = NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets);
        var plan = NoticePlanner.Plan(waiting, Alert(revision: 2), s_targets);
        Assert.Equal([("email", "raised", 2), ("lab-alerts", "raised", 2)], Pending(plan));
        Assert.Equal(2, plan.Count);
    }

    [Fact]
    public void RetractedBeforeAnyoneWasTold_NothingIsSent()
    {
        var waiting = NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets);
        Assert.Empty(NoticePlanner.Plan(waiting, Alert(revision: 2, status: AlertStatus.Retracted), s_targets));
    }

    [Fact]
    public void ReopenedAfterARetractionWasSent_IsAnUpdate_NeverASecondRaise()
    {
        var raised = Sent(NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets));
        var retracted = Sent(NoticePlanner.Plan(raised, Alert(revision: 2, status: AlertStatus.Retracted), s_targets));
        var reopened = NoticePlanner.Plan(retracted, Alert(revision: 3), s_targets);
        Assert.Equal([("email", "updated", 3), ("lab-alerts", "updated", 3)], Pending(reopened));
        Assert.Equal(2, reopened.Values.Count(d => d.Event == AlertEvents.Raised));
    }

    [Fact]
    public void WhileASendIsInFlight_TheNextChangeIsStillNotified()
    {
        var sending = NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets)
            .ToDictionary(p => p.Key, p => p.Value with { State = DeliveryState.Sending });
        Assert.Equal([("email", "updated", 2), ("lab-alerts", "updated", 2)], Pending(NoticePlanner.Plan(sending, Alert(revision: 2), s_targets)));
    }

    [Fact]
    public void AFailedNoticeOfAnEarlierRevision_IsSuperseded_SoRedeliverCannotSendStaleNews()
    {
        var failed = NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets)
            .ToDictionary(p => p.Key, p => p.Value with { State = DeliveryState.Failed });
        var plan = NoticePlanner.Plan(failed, Alert(revision: 2), s_targets);
        Assert.All(plan.Values.Where(d => d.Revision == 1), d => Assert.Equal(DeliveryState.Superseded, d.State));
        Assert.Equal([("email", "raised", 2), ("lab-alerts", "raised", 2)], Pending(plan));
    }

    [Fact]
    public void AReplacedNotice_KeepsItsBackOff()
    {
        var deferred = NoticePlanner.Plan(new Dictionary<string, Delivery>(), Alert(), s_targets)
            .ToDictionary(p => p.Key, p => p.Value with { Attempts = 2, NotBefore = TestData.Now, LastError = "429" });
        Assert.All(NoticePlanner.Plan(deferred, Alert(revision: 2), s_targets).Values, d => Assert.Equal((2, TestData.Now), (d.Attempts, d.NotBefore!.Value)));
    }

    [Fact]
    public void MessageIds_DistinctPerNotice_FirstIsTheAlertId()
    {
        Assert.Equal("a", AlertMessageIds.For("a", AlertEvents.Raised, 1));
        Assert.Equal("a-updated-2", AlertMessageIds.For("a", AlertEvents.Updated, 2));
        Assert.Equal("a-retracted-3", AlertMessageIds.For("a", AlertEvents.Retracted, 3));
        Assert.Equal("a-raised-2", AlertMessageIds.For("a", AlertEvents.Raised, 2));
    }
}
