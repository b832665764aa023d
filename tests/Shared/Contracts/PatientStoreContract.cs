using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using static CarTLabPipeline.Testing.Contracts.ContractData;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>What every <see cref="IPatientStore"/> does: one enrollment per patient, replaced by an upsert.</summary>
public abstract class PatientStoreContract : IAsyncLifetime
{
    protected IPatientStore Store { get; private set; } = null!;

    /// <summary>The store under test, ready to use.</summary>
    protected abstract Task<IPatientStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_OfAPatientNeverEnrolled_IsNull()
    {
        Assert.Null(await Store.GetAsync(Unique("PT"), CancellationToken.None));
    }

    [Fact]
    public async Task IsEnrolled_OfAPatientNeverEnrolled_IsFalse()
    {
        Assert.False(await Store.IsEnrolledAsync(Unique("PT"), CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_ThenGet_ReturnsTheEnrollmentWithEveryField()
    {
        var enrollment = Enrollment(Unique("PT"), "a@hospital.example", "b@hospital.example");

        await Store.UpsertAsync(enrollment, CancellationToken.None);

        Assert.Equal(Json(enrollment), Json(await Store.GetAsync(enrollment.PatientId, CancellationToken.None)));
    }

    [Fact]
    public async Task Upsert_ThenGet_ReturnsTheTreatmentEvents()
    {
        var enrollment = Enrollment(Unique("PT")) with
        {
            Events = [
                new TreatmentEvent { Kind = TreatmentEventKind.Crs, Date = new DateOnly(2024, 8, 29), Grade = 2 },
                new TreatmentEvent { Kind = TreatmentEventKind.ProphylaxisStart, Date = new DateOnly(2024, 9, 26), Detail = "cotrimoxazole", Note = "3×/week" },
                new TreatmentEvent { Kind = TreatmentEventKind.SecondInfusion, Date = new DateOnly(2025, 3, 1) },
            ],
        };

        await Store.UpsertAsync(enrollment, CancellationToken.None);
        var stored = await Store.GetAsync(enrollment.PatientId, CancellationToken.None);

        Assert.Equal(enrollment.Events, stored!.Events);
        Assert.True(stored.HasEvents);
    }

    [Fact]
    public async Task TryReplace_WithTheTagRead_Replaces_AndWithAStaleTag_ChangesNothing()
    {
        var enrollment = Enrollment(Unique("PT"));
        await Store.UpsertAsync(enrollment, CancellationToken.None);
        var read = await Store.GetForUpdateAsync(enrollment.PatientId, CancellationToken.None);
        var first = enrollment with { Events = [new TreatmentEvent { Kind = TreatmentEventKind.Crs, Date = new DateOnly(2024, 8, 29) }] };
        var second = enrollment with { Events = [new TreatmentEvent { Kind = TreatmentEventKind.Icans, Date = new DateOnly(2024, 9, 1) }] };

        var replaced = await Store.TryReplaceAsync(first, read!.ETag, CancellationToken.None);
        var stale = await Store.TryReplaceAsync(second, read.ETag, CancellationToken.None);

        Assert.Equal((true, false), (replaced, stale));
        Assert.Equal(first.Events, (await Store.GetAsync(enrollment.PatientId, CancellationToken.None))!.Events);
        Assert.Null(await Store.GetForUpdateAsync(Unique("PT"), CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_ThenIsEnrolled_IsTrue()
    {
        var patient = Unique("PT");
        Assert.False(await Store.IsEnrolledAsync(patient, CancellationToken.None));

        await Store.UpsertAsync(Enrollment(patient), CancellationToken.None);

        Assert.True(await Store.IsEnrolledAsync(patient, CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_Again_ReplacesTheEnrollment()
    {
        var first = Enrollment(Unique("PT"), "a@hospital.example");
        var second = first with { InfusionDate = new DateOnly(2024, 9, 3), CareTeam = [new CareTeamMember("Dr B", "b@hospital.example")] };
        await Store.UpsertAsync(first, CancellationToken.None);

        await Store.UpsertAsync(second, CancellationToken.None);

        Assert.Equal(Json(second), Json(await Store.GetAsync(first.PatientId, CancellationToken.None)));
    }

    [Fact]
    public async Task Get_ReturnsACopy_NotWhatTheCallerStillHolds()
    {
        var team = new List<CareTeamMember> { new("Dr A", "a@hospital.example") };
        var enrollment = Enrollment(Unique("PT")) with { CareTeam = team };
        await Store.UpsertAsync(enrollment, CancellationToken.None);

        team.Add(new CareTeamMember("Dr Z", "z@hospital.example"));

        var stored = await Store.GetAsync(enrollment.PatientId, CancellationToken.None);
        Assert.Equal(["a@hospital.example"], stored!.CareTeam.Select(m => m.Email));
    }

    [Fact]
    public async Task List_HoldsEveryEnrolledPatient_Once()
    {
        var (a, b) = (Enrollment(Unique("PT")), Enrollment(Unique("PT")));
        await Store.UpsertAsync(a, CancellationToken.None);
        await Store.UpsertAsync(b, CancellationToken.None);
        await Store.UpsertAsync(a with { Product = "tisa-cel" }, CancellationToken.None);

        var listed = new List<Enrollment>();
        await foreach (var e in Store.ListAsync(CancellationToken.None))
        {
            if (e.PatientId == a.PatientId || e.PatientId == b.PatientId)
            {
                listed.Add(e);
            }
        }

        Assert.Equal(new[] { a.PatientId, b.PatientId }.Order(StringComparer.Ordinal), listed.Select(e => e.PatientId).Order(StringComparer.Ordinal));
        Assert.Equal("tisa-cel", listed.Single(e => e.PatientId == a.PatientId).Product);
    }
}
