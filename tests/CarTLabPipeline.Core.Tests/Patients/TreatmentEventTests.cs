using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Patients;

public class TreatmentEventValidationTests
{
    /// <summary>Today in Rome is 2026-01-15.</summary>
    private static readonly DateTimeOffset s_now = TestData.Now;

    private static TreatmentEvent Event(TreatmentEventKind kind, string date, int? grade = null, string? detail = null, string? note = null) => new()
    {
        Kind = kind,
        Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
        Grade = grade,
        Detail = detail,
        Note = note,
    };

    private static List<string> Errors(params TreatmentEvent[] events) =>
        [.. EnrollmentValidator.Validate(TestData.Enrollment() with { Events = events }, s_now).Select(e => e.ErrorMessage!)];

    [Fact]
    public void Validate_ACompleteHistory_IsValid()
    {
        Assert.Empty(Errors(
            Event(TreatmentEventKind.BridgingTherapy, "2024-08-01", detail: "inotuzumab"),
            Event(TreatmentEventKind.Lymphodepletion, "2024-08-23", detail: "Flu/Cy"),
            Event(TreatmentEventKind.Infusion, "2024-08-27"),
            Event(TreatmentEventKind.Crs, "2024-08-29", grade: 2),
            Event(TreatmentEventKind.Icans, "2024-09-01", grade: 1),
            Event(TreatmentEventKind.Icans, "2024-09-03"), // grade not known (yet): allowed
            Event(TreatmentEventKind.ImmunoglobulinStart, "2024-09-30", detail: "IVIG"),
            Event(TreatmentEventKind.ImmunoglobulinStop, "2025-02-01", detail: "IVIG"),
            Event(TreatmentEventKind.ProphylaxisStop, "2025-03-01", detail: "cotrimoxazole"), // start not recorded: fine
            Event(TreatmentEventKind.Vaccination, "2025-09-01", detail: "influenza"),
            Event(TreatmentEventKind.SecondInfusion, "2025-10-01"),
            Event(TreatmentEventKind.Crs, "2026-01-16", grade: 1))); // tomorrow in Rome: allowed (a day ahead of the server)
    }

    [Theory]
    [InlineData(TreatmentEventKind.Vaccination, 2, "events[0].grade is only for crs and icans, not vaccination")]
    [InlineData(TreatmentEventKind.Crs, 5, "events[0].grade must be 1–4 (ASTCT CRS grade), not 5")]
    [InlineData(TreatmentEventKind.Icans, 0, "events[0].grade must be 1–4 (ASTCT ICANS grade), not 0")]
    public void Validate_Grade_OnlyForCrsAndIcans_OneToFour(TreatmentEventKind kind, int grade, string error)
    {
        Assert.Equal([error], Errors(Event(kind, "2024-08-29", grade: grade)));
    }

    [Theory]
    [InlineData("1949-12-31", "events[0].date 1949-12-31 is before 1950")]
    [InlineData("2026-01-17", "events[0].date 2026-01-17 is in the future (today is 2026-01-15 in Europe/Rome)")]
    public void Validate_Date_From1950ToTomorrow(string date, string error)
    {
        Assert.Equal([error], Errors(Event(TreatmentEventKind.Vaccination, date)));
    }

    [Fact]
    public void Validate_StopBeforeItsStart_IsRefusedWithWhatResolvesIt()
    {
        var error = Assert.Single(Errors(
            Event(TreatmentEventKind.ProphylaxisStart, "2024-09-10", detail: "Cotrimoxazole"),
            Event(TreatmentEventKind.ProphylaxisStop, "2024-09-01", detail: "cotrimoxazole")));

        Assert.Equal("events[1]: prophylaxis-stop (cotrimoxazole) on 2024-09-01 is before its start on 2024-09-10: " +
            "correct the date, or record the start it ends (an earlier prophylaxis-start (cotrimoxazole))", error);
    }

    [Fact]
    public void Validate_StopOfAnotherAgent_IsNotPairedWithThisStart()
    {
        Assert.Empty(Errors(
            Event(TreatmentEventKind.ProphylaxisStart, "2024-09-10", detail: "acyclovir"),
            Event(TreatmentEventKind.ProphylaxisStop, "2024-09-01", detail: "cotrimoxazole")));
    }

    [Fact]
    public void Validate_InfusionOnAnotherDate_OrSecondInfusionNotAfterIt_IsRefused()
    {
        var errors = Errors(Event(TreatmentEventKind.Infusion, "2024-08-28"), Event(TreatmentEventKind.SecondInfusion, "2024-08-27"),
            Event(TreatmentEventKind.AllogeneicHsct, "2024-08-01"));

        Assert.Equal(3, errors.Count);
        Assert.Contains("record a later infusion as second-infusion", errors[0], StringComparison.Ordinal);
        Assert.Equal("events[1]: second-infusion on 2024-08-27 must be after the infusionDate 2024-08-27", errors[1]);
        Assert.Equal("events[2]: allogeneic-hsct on 2024-08-01 must be after the infusionDate 2024-08-27", errors[2]);
    }

    [Fact]
    public void Validate_SameEventTwiceWithDifferentGrade_IsAmbiguous_ButIdenticalTwiceIsOne()
    {
        Assert.Equal(["events: crs on 2024-08-29 is listed twice with different grade or note; keep one"],
            Errors(Event(TreatmentEventKind.Crs, "2024-08-29", grade: 2), Event(TreatmentEventKind.Crs, "2024-08-29", grade: 3)));
        Assert.Empty(Errors(Event(TreatmentEventKind.Crs, "2024-08-29", grade: 2), Event(TreatmentEventKind.Crs, "2024-08-29", grade: 2)));
        Assert.Single(EnrollmentValidator.WithOrderedEvents(TestData.Enrollment() with
        {
            Events = [Event(TreatmentEventKind.Crs, "2024-08-29", grade: 2), Event(TreatmentEventKind.Crs, "2024-08-29", grade: 2)],
        }).Events);
    }

    [Fact]
    public void Validate_SecondInfusionAndHsctOnOneDate_IsRefused()
    {
        Assert.Contains("a second-infusion and an allogeneic-hsct on the same date 2025-03-01",
            Assert.Single(Errors(Event(TreatmentEventKind.SecondInfusion, "2025-03-01"), Event(TreatmentEventKind.AllogeneicHsct, "2025-03-01"))),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DocumentTooLongForItsTableProperty_IsRefused()
    {
        var events = Enumerable.Range(0, 80).Select(i => Event(TreatmentEventKind.Vaccination, "2025-01-01", detail: $"v{i}", note: new string('x', 450))).ToArray();

        Assert.Contains("longer than 30,000 characters", Assert.Single(Errors(events)), StringComparison.Ordinal);
    }
}

public class TreatmentEventJsonTests
{
    [Fact]
    public void Parse_KebabCaseKinds_WithGradeDetailAndNote()
    {
        var enrollment = EnrollmentService.Parse("""
            {"patientId":"PT-J1","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Europe/Rome",
             "events":[{"kind":"crs","date":"2024-08-29","grade":2},
                       {"kind":"prophylaxis-stop","date":"2025-03-01","detail":"cotrimoxazole","note":"CD4 > 200 twice"},
                       {"kind":"Second-Infusion","date":"2025-06-01"}]}
            """);

        Assert.Equal([TreatmentEventKind.Crs, TreatmentEventKind.ProphylaxisStop, TreatmentEventKind.SecondInfusion], enrollment.Events.Select(e => e.Kind));
        Assert.Equal((2, "cotrimoxazole", "CD4 > 200 twice"), (enrollment.Events[0].Grade!.Value, enrollment.Events[1].Detail, enrollment.Events[1].Note));
        Assert.Contains("\"kind\":\"second-infusion\"", PipelineJsonText(enrollment), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"fever\"")]
    [InlineData("3")]
    public void Parse_UnknownKindOrANumber_IsRefusedNamingTheKinds(string kind)
    {
        var ex = Assert.Throws<EnrollmentValidationException>(() => EnrollmentService.Parse(
            $$"""{"patientId":"PT-J1","infusionDate":"2024-08-27","product":"brexu-cel","events":[{"kind":{{kind}},"date":"2024-08-29"}]}"""));

        Assert.Contains("events[].kind must be one of bridging-therapy, lymphodepletion, infusion, crs, icans,", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutEvents_SaysSo_AndAnEmptyListIsAList()
    {
        Assert.False(EnrollmentService.Parse("""{"patientId":"PT-J1","infusionDate":"2024-08-27","product":"brexu-cel"}""").HasEvents);
        Assert.True(EnrollmentService.Parse("""{"patientId":"PT-J1","infusionDate":"2024-08-27","product":"brexu-cel","events":[]}""").HasEvents);
    }

    private static string PipelineJsonText(Enrollment enrollment) => CarTLabPipeline.Alerts.PipelineJson.Serialize(enrollment);
}

public class AddEventTests
{
    private const string Patient = "PT-EV1";

    private static readonly TreatmentEvent s_crs = new() { Kind = TreatmentEventKind.Crs, Date = new DateOnly(2024, 8, 29), Grade = 2 };

    private static async Task<InMemoryPipeline> StartAsync()
    {
        var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.RunAsync();
        return pipeline;
    }

    private static Task<EventAddResult?> AddAsync(InMemoryPipeline pipeline, TreatmentEvent e, string patient = Patient) =>
        pipeline.Get<EnrollmentService>().AddEventAsync(patient, e, CancellationToken.None);

    [Fact]
    public async Task AddEvent_StoresIt_AndQueuesAnEvaluation()
    {
        await using var pipeline = await StartAsync();

        var result = await AddAsync(pipeline, s_crs);

        Assert.Equal(EventAddOutcome.Added, result!.Outcome);
        Assert.Equal([s_crs], (await pipeline.Patients.GetAsync(Patient, default))!.Events);
        Assert.Equal(1, pipeline.Queue.Count(PipelineNames.Queues.PatientEvaluations));
    }

    [Fact]
    public async Task AddEvent_Twice_KeepsOne_AndTheSecondChangesNothing()
    {
        await using var pipeline = await StartAsync();
        await AddAsync(pipeline, s_crs);
        await pipeline.RunAsync();

        var again = await AddAsync(pipeline, s_crs with { Detail = null });

        Assert.Equal(EventAddOutcome.AlreadyPresent, again!.Outcome);
        Assert.Single((await pipeline.Patients.GetAsync(Patient, default))!.Events);
        Assert.Equal(0, pipeline.Queue.Count(PipelineNames.Queues.PatientEvaluations));
    }

    [Fact]
    public async Task AddEvent_SameIdentityOtherGrade_ReplacesTheStoredOne()
    {
        await using var pipeline = await StartAsync();
        await AddAsync(pipeline, s_crs);

        var updated = await AddAsync(pipeline, s_crs with { Grade = 3 });

        Assert.Equal(EventAddOutcome.Updated, updated!.Outcome);
        Assert.Equal(3, Assert.Single((await pipeline.Patients.GetAsync(Patient, default))!.Events).Grade);
    }

    [Fact]
    public async Task AddEvent_Invalid_NamesTheEvent_AndStoresNothing()
    {
        await using var pipeline = await StartAsync();

        var ex = await Assert.ThrowsAsync<EnrollmentValidationException>(() => AddAsync(pipeline, s_crs with { Grade = 7 }));

        Assert.Equal(["event.grade"], Assert.Single(ex.Errors).MemberNames);
        Assert.Empty((await pipeline.Patients.GetAsync(Patient, default))!.Events);
    }

    [Fact]
    public async Task AddEvent_PatientNotEnrolled_IsNull()
    {
        await using var pipeline = await StartAsync();

        Assert.Null(await AddAsync(pipeline, s_crs, "PT-NOBODY"));
    }

    [Fact]
    public async Task AddEvent_WhileAnotherEventIsRecorded_KeepsBoth()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestData.Now);
        var inner = new InMemoryPatientStore();
        await inner.UpsertAsync(TestData.Enrollment(Patient), default);
        var icans = new TreatmentEvent { Kind = TreatmentEventKind.Icans, Date = new DateOnly(2024, 9, 1), Grade = 1 };
        var store = new RacingStore(inner, () => inner.UpsertAsync(TestData.Enrollment(Patient) with { Events = [icans] }, default));
        var service = new EnrollmentService(store, new InMemoryPipelineQueue(time), time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EnrollmentService>.Instance);

        var result = await service.AddEventAsync(Patient, s_crs, default);

        Assert.Equal(EventAddOutcome.Added, result!.Outcome);
        Assert.Equal([s_crs, icans], (await inner.GetAsync(Patient, default))!.Events);
    }

    /// <summary>Another writer changes the enrollment right after the first read for update.</summary>
    private sealed class RacingStore(InMemoryPatientStore inner, Func<Task> race) : IPatientStore
    {
        private bool _raced;

        public Task<Enrollment?> GetAsync(string patientId, CancellationToken cancellationToken) => inner.GetAsync(patientId, cancellationToken);

        public Task<bool> IsEnrolledAsync(string patientId, CancellationToken cancellationToken) => inner.IsEnrolledAsync(patientId, cancellationToken);

        public Task UpsertAsync(Enrollment enrollment, CancellationToken cancellationToken) => inner.UpsertAsync(enrollment, cancellationToken);

        public async Task<StoredEnrollment?> GetForUpdateAsync(string patientId, CancellationToken cancellationToken)
        {
            var read = await inner.GetForUpdateAsync(patientId, cancellationToken);
            if (!_raced)
            {
                _raced = true;
                await race();
            }

            return read;
        }

        public Task<bool> TryReplaceAsync(Enrollment enrollment, string etag, CancellationToken cancellationToken) =>
            inner.TryReplaceAsync(enrollment, etag, cancellationToken);

        public IAsyncEnumerable<Enrollment> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
    }

    [Fact]
    public async Task Enroll_AgainWithoutEvents_KeepsTheRecordedOnes_AndAListReplacesThem()
    {
        await using var pipeline = await StartAsync();
        await AddAsync(pipeline, s_crs);
        var stored = (await pipeline.Patients.GetAsync(Patient, default))!;

        var kept = await pipeline.EnrollAsync(EnrollmentService.Parse(
            """{"patientId":"PT-EV1","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Europe/Rome"}"""));
        var replaced = await pipeline.EnrollAsync(stored with { Events = [] });

        Assert.Equal([s_crs], kept.Events);
        Assert.Empty(replaced.Events);
    }
}
