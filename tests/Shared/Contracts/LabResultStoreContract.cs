using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;
using static CarTLabPipeline.Testing.Contracts.ContractData;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>What every <see cref="ILabResultStore"/> does: append-only versions, one partition per call.</summary>
public abstract class LabResultStoreContract : IAsyncLifetime
{
    protected ILabResultStore Store { get; private set; } = null!;

    /// <summary>The store under test, ready to use.</summary>
    protected abstract Task<ILabResultStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Rows the store under test has read from where it keeps them since it was made (at most: what it asked for), to show
    /// that a bounded read stops; null when the store cannot tell.
    /// </summary>
    protected virtual long? RowsRead => null;

    private Task<IReadOnlyList<LabResult>> VersionsAsync(string patientId) => Store.GetVersionsAsync(patientId, CancellationToken.None);

    [Fact]
    public async Task GetVersions_OfAPatientWithNoResults_IsEmpty()
    {
        Assert.Empty(await VersionsAsync(Unique("PT")));
    }

    [Fact]
    public async Task Upsert_ThenGetVersions_ReturnsTheVersionWithEveryField()
    {
        var patient = Unique("PT");
        var version = Version(patient);

        await Store.UpsertAsync(patient, [version], CancellationToken.None);

        var stored = Assert.Single(await VersionsAsync(patient));
        Assert.Equal(version, stored);
        Assert.Equal(TimeSpan.FromHours(2), stored.CollectedAt.Offset); // the lab's offset is kept
        Assert.Equal(TimeSpan.FromHours(2), stored.ReportedAt!.Value.Offset);
        Assert.Equal(TimeSpan.Zero, stored.ReceivedAt.Offset); // arrival time comes back in UTC
    }

    [Fact]
    public async Task GetVersionsForEvaluation_HasEveryFieldButTheLocationAndTheIdentityOfAVersionNotCancelled()
    {
        var patient = Unique("PT");
        var final = Version(patient, resultId: "result-1") with { SourceSegment = "OBX[3] of message M1" };
        var cancelled = Version(patient, resultId: "result-2", status: ResultStatus.Cancelled) with { SourceSegment = "OBX[4] of message M2" };
        await Store.UpsertAsync(patient, [final, cancelled], CancellationToken.None);

        var result = await Store.GetVersionsForEvaluationAsync(patient, 1_000, CancellationToken.None);
        var read = result.Versions.OrderBy(v => v.ResultId, StringComparer.Ordinal).ToList();

        // A store may leave both out (the table store does); whatever it keeps is as stored, and a cancellation keeps its identity.
        Assert.Equal(2, read.Count);
        Assert.Equal(final with { SourceSegment = read[0].SourceSegment, Identity = read[0].Identity }, read[0]);
        Assert.Equal(cancelled with { SourceSegment = read[1].SourceSegment }, read[1]);
        Assert.Equal(cancelled.Identity, read[1].Identity);
        Assert.Contains(read[0].SourceSegment, new[] { null, final.SourceSegment });
        Assert.Contains(read[0].Identity, new[] { null, final.Identity });
    }

    [Fact]
    public async Task GetVersionsForEvaluation_OfARecordUpToTheLimit_ReturnsEveryVersion()
    {
        var patient = Unique("PT");
        await Store.UpsertAsync(patient, [.. Enumerable.Range(0, 5).Select(i => Version(patient, resultId: $"result-{i}"))], CancellationToken.None);

        var read = await Store.GetVersionsForEvaluationAsync(patient, 5, CancellationToken.None);

        Assert.False(read.TooLarge);
        Assert.Equal(5, read.Limit);
        Assert.Equal(["result-0", "result-1", "result-2", "result-3", "result-4"], read.Versions.Select(v => v.ResultId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetVersionsForEvaluation_OfARecordOverTheLimit_SaysTooLarge_AndHoldsNoVersion()
    {
        var patient = Unique("PT");
        // Six versions: two results with two versions each and two sent once.
        await Store.UpsertAsync(patient, [
            Version(patient, resultId: "result-1", versionId: "v1"), Version(patient, resultId: "result-1", versionId: "v2"),
            Version(patient, resultId: "result-2", versionId: "v1"), Version(patient, resultId: "result-2", versionId: "v2"),
            Version(patient, resultId: "result-3"), Version(patient, resultId: "result-4")], CancellationToken.None);

        var read = await Store.GetVersionsForEvaluationAsync(patient, 5, CancellationToken.None);

        Assert.True(read.TooLarge);
        Assert.Equal(5, read.Limit);
        Assert.Empty(read.Versions);
        Assert.False((await Store.GetVersionsForEvaluationAsync(patient, 6, CancellationToken.None)).TooLarge);
    }

    [Fact]
    public async Task GetVersionsForEvaluation_OfARecordFarOverTheLimit_StopsReadingAtTheLimitPlusOne()
    {
        // More than two table pages (1,000 rows each) over a limit that ends inside the second: the store reads 1,201 rows at most.
        var patient = Unique("PT");
        await Store.UpsertAsync(patient, [.. Enumerable.Range(0, 2_500).Select(i => Version(patient, resultId: $"result-{i:D4}"))], CancellationToken.None);
        var before = RowsRead;

        var read = await Store.GetVersionsForEvaluationAsync(patient, 1_200, CancellationToken.None);

        Assert.True(read.TooLarge);
        Assert.Empty(read.Versions);
        if (RowsRead - before is { } rows)
        {
            Assert.InRange(rows, 1_201, 1_201);
        }

        Assert.False((await Store.GetVersionsForEvaluationAsync(patient, 2_500, CancellationToken.None)).TooLarge);
    }

    [Fact]
    public async Task GetVersions_IsBoundedToo_AndWithinTheLimitKeepsWhereEachVersionCameFrom()
    {
        var patient = Unique("PT");
        var versions = Enumerable.Range(0, 1_100).Select(i => Version(patient, resultId: $"result-{i:D4}")).ToList();
        await Store.UpsertAsync(patient, versions, CancellationToken.None);
        var before = RowsRead;

        var over = await Store.GetVersionsAsync(patient, 1_050, CancellationToken.None);

        Assert.Equal((true, 0), (over.TooLarge, over.Versions.Count));
        if (RowsRead - before is { } rows)
        {
            Assert.InRange(rows, 1_051, 1_051);
        }

        var within = await Store.GetVersionsAsync(patient, 1_100, CancellationToken.None);
        Assert.False(within.TooLarge);
        Assert.Equal(versions.OrderBy(v => v.ResultId, StringComparer.Ordinal), within.Versions.OrderBy(v => v.ResultId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetVersionsForEvaluation_WithALimitBelowOne_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetVersionsForEvaluationAsync(Unique("PT"), 0, CancellationToken.None));
    }

    [Theory]
    [InlineData(CollectionTimeKind.Date)]
    [InlineData(CollectionTimeKind.MessageTime)]
    public async Task Upsert_ThenGetVersions_KeepsWhatTheCollectionTimeIs(CollectionTimeKind kind)
    {
        var patient = Unique("PT");
        var version = Version(patient) with { CollectedAtKind = kind };

        await Store.UpsertAsync(patient, [version], CancellationToken.None);

        var stored = Assert.Single(await VersionsAsync(patient));
        Assert.Equal(version, stored);
        Assert.Equal(kind, stored.CollectedAtKind);
        Assert.Equal(kind == CollectionTimeKind.Date ? DateOnly.FromDateTime(version.CollectedAt.DateTime) : null, stored.CollectedDate);
    }

    [Fact]
    public async Task Upsert_VersionsOfOneResultWithDifferentVersionIds_KeepsThemAll()
    {
        var patient = Unique("PT");
        var first = Version(patient, versionId: "v1", value: 0.012m, status: ResultStatus.Final);
        var corrected = Version(patient, versionId: "v2", value: 0.3m, status: ResultStatus.Corrected);
        var cancelled = Version(patient, versionId: "v3", value: null, status: ResultStatus.Cancelled);

        await Store.UpsertAsync(patient, [first], CancellationToken.None);
        await Store.UpsertAsync(patient, [corrected, cancelled], CancellationToken.None);

        var stored = await VersionsAsync(patient);
        Assert.Equal(["v1", "v2", "v3"], stored.Select(v => v.VersionId).Order(StringComparer.Ordinal));
        Assert.All(stored, v => Assert.Equal("result-1", v.ResultId));
    }

    [Fact]
    public async Task Upsert_TheSameVersionTwice_IsOneRow_HoldingTheLaterWrite()
    {
        var patient = Unique("PT");
        await Store.UpsertAsync(patient, [Version(patient)], CancellationToken.None);

        await Store.UpsertAsync(patient, [Version(patient) with { SourceFile = "hospital-lab/resent.hl7", SourceLine = 3 }], CancellationToken.None);

        var stored = Assert.Single(await VersionsAsync(patient));
        Assert.Equal(("hospital-lab/resent.hl7", 3), (stored.SourceFile, stored.SourceLine));
    }

    [Fact]
    public async Task Upsert_AVersionWithoutVersionId_IsARowOfItsOwn()
    {
        var patient = Unique("PT");

        await Store.UpsertAsync(patient, [Version(patient, versionId: string.Empty), Version(patient, versionId: "v1")], CancellationToken.None);

        Assert.Equal([string.Empty, "v1"], (await VersionsAsync(patient)).Select(v => v.VersionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Upsert_ResultsOfTwoPatientsInOneCall_ThrowsArgumentException_AndStoresNothing()
    {
        var (a, b) = (Unique("PT"), Unique("PT"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.UpsertAsync(a, [Version(a), Version(b, resultId: "result-2")], CancellationToken.None));

        Assert.Empty(await VersionsAsync(a));
        Assert.Empty(await VersionsAsync(b));
    }

    [Fact]
    public async Task Upsert_ResultsOfAnotherPatientThanTheOneNamed_ThrowsArgumentException()
    {
        var (a, b) = (Unique("PT"), Unique("PT"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.UpsertAsync(a, [Version(b)], CancellationToken.None));

        Assert.Empty(await VersionsAsync(a));
        Assert.Empty(await VersionsAsync(b));
    }

    [Fact]
    public async Task Upsert_TheSameVersionTwiceInOneCall_ThrowsArgumentException_AndStoresNothing()
    {
        var patient = Unique("PT");

        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.UpsertAsync(patient, [Version(patient), Version(patient) with { SourceLine = 8 }], CancellationToken.None));

        Assert.Empty(await VersionsAsync(patient));
    }

    [Fact]
    public async Task Upsert_NoResults_StoresNothing()
    {
        var patient = Unique("PT");

        await Store.UpsertAsync(patient, [], CancellationToken.None);

        Assert.Empty(await VersionsAsync(patient));
    }

    [Fact]
    public async Task Upsert_MoreVersionsThanOneBatch_KeepsThemAll()
    {
        var patient = Unique("PT");
        var versions = Enumerable.Range(0, 250).Select(i => Version(patient, resultId: $"result-{i:D3}")).ToList();

        await Store.UpsertAsync(patient, versions, CancellationToken.None);

        Assert.Equal(250, (await VersionsAsync(patient)).Select(v => v.ResultId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task GetVersions_ReturnsOnlyThePatientsOwnResults()
    {
        var (a, b) = (Unique("PT"), Unique("PT"));
        await Store.UpsertAsync(a, [Version(a, resultId: "result-a")], CancellationToken.None);
        await Store.UpsertAsync(b, [Version(b, resultId: "result-b")], CancellationToken.None);

        Assert.Equal("result-a", Assert.Single(await VersionsAsync(a)).ResultId);
        Assert.Equal("result-b", Assert.Single(await VersionsAsync(b)).ResultId);
    }
}
