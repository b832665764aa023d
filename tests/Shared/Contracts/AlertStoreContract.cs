using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;
using static CarTLabPipeline.Testing.Contracts.ContractData;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>
/// What every <see cref="IAlertStore"/> does: insert-if-absent, ETag-checked replace (a new ETag on every write), lookup by
/// id across patients.
/// </summary>
public abstract class AlertStoreContract : IAsyncLifetime
{
    protected IAlertStore Store { get; private set; } = null!;

    /// <summary>The store under test, ready to use.</summary>
    protected abstract Task<IAlertStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<StoredAlert> AddAsync(Alert alert, Dictionary<string, Delivery>? deliveries = null)
    {
        Assert.True(await Store.TryAddAsync(alert, deliveries ?? Deliveries("dr.test@hospital.example"), CancellationToken.None));
        return (await Store.GetAsync(alert.PatientId, alert.AlertId, CancellationToken.None))!;
    }

    private static Dictionary<string, Delivery> Sent(StoredAlert row, string key) =>
        new(row.Deliveries, StringComparer.Ordinal) { [key] = row.Deliveries[key] with { State = DeliveryState.Sent, Attempts = 1 } };

    [Fact]
    public async Task Get_OfAnUnknownAlert_IsNull()
    {
        Assert.Null(await Store.GetAsync(Unique("PT"), Unique("alert"), CancellationToken.None));
    }

    [Fact]
    public async Task Find_OfAnUnknownAlert_IsNull()
    {
        Assert.Null(await Store.FindAsync(Unique("alert"), CancellationToken.None));
    }

    [Fact]
    public async Task TryAdd_ANewAlert_ReturnsTrue_AndGetReturnsTheAlertItsDeliveriesAndAnETag()
    {
        var alert = Alert(Unique("PT"));
        var deliveries = Deliveries("a@hospital.example", "b@hospital.example");

        Assert.True(await Store.TryAddAsync(alert, deliveries, CancellationToken.None));

        var row = await Store.GetAsync(alert.PatientId, alert.AlertId, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(Json(alert), Json(row.Alert));
        Assert.Equal(deliveries.Keys.Order(StringComparer.Ordinal), row.Deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.All(deliveries, d => Assert.Equal(d.Value, row.Deliveries[d.Key]));
        Assert.False(string.IsNullOrEmpty(row.ETag));
    }

    [Fact]
    public async Task TryAdd_TheSameIdTwice_ReturnsFalse_AndKeepsTheFirst()
    {
        var first = await AddAsync(Alert(Unique("PT"), title: "first"));

        var added = await Store.TryAddAsync(first.Alert with { Title = "second" }, Deliveries(), CancellationToken.None);

        Assert.False(added);
        var row = await Store.GetAsync(first.Alert.PatientId, first.Alert.AlertId, CancellationToken.None);
        Assert.Equal("first", row!.Alert.Title);
        Assert.Equal(first.ETag, row.ETag);
        Assert.Equal(2, row.Deliveries.Count);
    }

    [Fact]
    public async Task TryAdd_TheSameIdConcurrently_OneCallWins()
    {
        var alert = Alert(Unique("PT"));

        var added = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.TryAddAsync(alert with { Title = $"writer {i}" }, Deliveries(), CancellationToken.None))));

        Assert.Single(added, a => a);
        var winner = Array.IndexOf(added, true);
        Assert.Equal($"writer {winner}", (await Store.GetAsync(alert.PatientId, alert.AlertId, CancellationToken.None))!.Alert.Title);
    }

    [Fact]
    public async Task TryAdd_TheSameIdForAnotherPatient_IsAnotherRow()
    {
        var first = await AddAsync(Alert(Unique("PT")));
        var other = first.Alert with { PatientId = Unique("PT") };

        Assert.True(await Store.TryAddAsync(other, Deliveries(), CancellationToken.None));

        Assert.NotNull(await Store.GetAsync(other.PatientId, other.AlertId, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(first.Alert.PatientId, first.Alert.AlertId, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdate_WithTheCurrentETag_StoresTheChange_AndReturnsANewETag()
    {
        var row = await AddAsync(Alert(Unique("PT")));
        var acknowledged = row.Alert with { Status = AlertStatus.Acknowledged, AcknowledgedBy = "dr.test@hospital.example" };

        var etag = await Store.TryUpdateAsync(acknowledged, Sent(row, "lab-alerts|raised"), row.ETag, CancellationToken.None);

        Assert.NotNull(etag);
        Assert.NotEqual(row.ETag, etag);
        var stored = await Store.GetAsync(row.Alert.PatientId, row.Alert.AlertId, CancellationToken.None);
        Assert.Equal((AlertStatus.Acknowledged, DeliveryState.Sent, etag), (stored!.Alert.Status, stored.Deliveries["lab-alerts|raised"].State, stored.ETag));
    }

    [Fact]
    public async Task TryUpdate_TheReturnedETag_WorksForTheNextUpdate()
    {
        var row = await AddAsync(Alert(Unique("PT")));
        var etag = await Store.TryUpdateAsync(row.Alert, Sent(row, "lab-alerts|raised"), row.ETag, CancellationToken.None);

        var next = await Store.TryUpdateAsync(row.Alert with { Title = "again" }, row.Deliveries, etag!, CancellationToken.None);

        Assert.NotNull(next);
        Assert.NotEqual(etag, next);
        Assert.Equal("again", (await Store.GetAsync(row.Alert.PatientId, row.Alert.AlertId, CancellationToken.None))!.Alert.Title);
    }

    [Fact]
    public async Task TryUpdate_WithAStaleETag_ReturnsNull_AndChangesNothing()
    {
        var row = await AddAsync(Alert(Unique("PT"), title: "original"));
        var current = await Store.TryUpdateAsync(row.Alert with { Title = "first writer" }, row.Deliveries, row.ETag, CancellationToken.None);

        var stale = await Store.TryUpdateAsync(row.Alert with { Title = "second writer" }, Sent(row, "lab-alerts|raised"), row.ETag, CancellationToken.None);

        Assert.Null(stale);
        var stored = await Store.GetAsync(row.Alert.PatientId, row.Alert.AlertId, CancellationToken.None);
        Assert.Equal(("first writer", DeliveryState.Pending, current), (stored!.Alert.Title, stored.Deliveries["lab-alerts|raised"].State, stored.ETag));
    }

    [Fact]
    public async Task TryUpdate_ConcurrentlyWithTheSameETag_OneCallWins()
    {
        var row = await AddAsync(Alert(Unique("PT")));

        var etags = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.TryUpdateAsync(row.Alert with { Title = $"writer {i}" }, row.Deliveries, row.ETag, CancellationToken.None))));

        var winner = Assert.Single(etags.Select((etag, i) => (etag, i)), w => w.etag is not null);
        var stored = await Store.GetAsync(row.Alert.PatientId, row.Alert.AlertId, CancellationToken.None);
        Assert.Equal(($"writer {winner.i}", winner.etag), (stored!.Alert.Title, stored.ETag));
    }

    [Fact]
    public async Task TryUpdate_OfAMissingRow_ReturnsNull_AndCreatesNothing()
    {
        var row = await AddAsync(Alert(Unique("PT")));
        var missing = Alert(Unique("PT"));

        Assert.Null(await Store.TryUpdateAsync(missing, Deliveries(), row.ETag, CancellationToken.None));

        Assert.Null(await Store.GetAsync(missing.PatientId, missing.AlertId, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdate_WithoutAnyChange_StillGivesANewETag()
    {
        var row = await AddAsync(Alert(Unique("PT")));

        var etag = await Store.TryUpdateAsync(row.Alert, row.Deliveries, row.ETag, CancellationToken.None);

        Assert.NotNull(etag);
        Assert.NotEqual(row.ETag, etag);
        Assert.Null(await Store.TryUpdateAsync(row.Alert, row.Deliveries, row.ETag, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdate_WithTheWildcardETag_ReplacesWhateverIsStored()
    {
        var row = await AddAsync(Alert(Unique("PT")));
        await Store.TryUpdateAsync(row.Alert with { Title = "moved on" }, row.Deliveries, row.ETag, CancellationToken.None);

        var etag = await Store.TryUpdateAsync(row.Alert with { Title = "forced" }, row.Deliveries, "*", CancellationToken.None);

        Assert.NotNull(etag);
        Assert.Equal("forced", (await Store.GetAsync(row.Alert.PatientId, row.Alert.AlertId, CancellationToken.None))!.Alert.Title);
    }

    [Fact]
    public async Task Find_FindsAnAlertInAnyPatientsPartition()
    {
        var a = await AddAsync(Alert(Unique("PT")));
        var b = await AddAsync(Alert(Unique("PT")));

        var foundA = await Store.FindAsync(a.Alert.AlertId, CancellationToken.None);
        var foundB = await Store.FindAsync(b.Alert.AlertId, CancellationToken.None);

        Assert.Equal((a.Alert.PatientId, a.ETag), (foundA!.Alert.PatientId, foundA.ETag));
        Assert.Equal((b.Alert.PatientId, b.ETag), (foundB!.Alert.PatientId, foundB.ETag));
    }

    [Fact]
    public async Task Get_ReturnsACopy_NotWhatTheCallerStillHolds()
    {
        var alert = Alert(Unique("PT"));
        var deliveries = Deliveries("a@hospital.example");
        var evidence = alert.Evidence.ToList();
        await Store.TryAddAsync(alert with { Evidence = evidence }, deliveries, CancellationToken.None);

        deliveries.Clear();
        evidence.Clear();

        var row = await Store.GetAsync(alert.PatientId, alert.AlertId, CancellationToken.None);
        Assert.Equal(2, row!.Deliveries.Count);
        Assert.Single(row.Alert.Evidence);
    }

    [Fact]
    public async Task ListForPatient_ReturnsEveryAlertOfThePatient_AndNoOther()
    {
        var patient = Unique("PT");
        var mine = new[] { await AddAsync(Alert(patient)), await AddAsync(Alert(patient)) };
        await AddAsync(Alert(Unique("PT")));

        var listed = await Store.ListForPatientAsync(patient, CancellationToken.None);

        Assert.Equal(mine.Select(r => r.Alert.AlertId).Order(StringComparer.Ordinal), listed.Select(r => r.Alert.AlertId).Order(StringComparer.Ordinal));
        Assert.All(listed, r => Assert.Equal(mine.Single(m => m.Alert.AlertId == r.Alert.AlertId).ETag, r.ETag));
    }

    [Fact]
    public async Task List_ReturnsTheAlertsOfEveryPatient()
    {
        var (a, b) = (await AddAsync(Alert(Unique("PT"))), await AddAsync(Alert(Unique("PT"))));
        var ids = new HashSet<string>(StringComparer.Ordinal) { a.Alert.AlertId, b.Alert.AlertId };

        var listed = new List<string>();
        await foreach (var row in Store.ListAsync(CancellationToken.None))
        {
            if (ids.Contains(row.Alert.AlertId))
            {
                listed.Add(row.Alert.PatientId);
            }
        }

        Assert.Equal(new[] { a.Alert.PatientId, b.Alert.PatientId }.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
