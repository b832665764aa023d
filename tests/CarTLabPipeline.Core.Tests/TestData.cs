using CarTLabPipeline.Composition;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Core.Tests;

/// <summary>Builders for the synthetic data of the tests.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static Enrollment Enrollment(string patientId = "PT-T1", string infusion = "2024-08-27", string zone = "Europe/Rome") => new()
    {
        PatientId = patientId,
        InfusionDate = DateOnly.Parse(infusion, System.Globalization.CultureInfo.InvariantCulture),
        Product = "brexu-cel",
        TimeZone = zone,
        CareTeam = [new CareTeamMember("Dr Test", "dr.test@hospital.example")],
    };

    /// <summary>A result of <paramref name="analyte"/> collected on day <paramref name="day"/> at 08:00 Rome time.</summary>
    public static LabResult Result(Analyte analyte, int day, decimal? value, string? comparator = null, ResultStatus status = ResultStatus.Final,
        string patientId = "PT-T1", string infusion = "2024-08-27", decimal? sensitivity = null, bool? detected = null, int hour = 8)
    {
        var date = DateOnly.Parse(infusion, System.Globalization.CultureInfo.InvariantCulture).AddDays(day);
        var collected = new DateTimeOffset(date.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(2));
        var info = AnalyteCatalog.Get(analyte);
        return new LabResult
        {
            ResultId = ResultIds.ForResult(patientId, analyte, collected),
            PatientId = patientId,
            Analyte = analyte,
            Loinc = info.Loinc,
            Value = value,
            Comparator = comparator,
            Unit = info.CanonicalUnit,
            OriginalValue = value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            OriginalUnit = info.CanonicalUnit,
            CollectedAt = collected,
            Status = status,
            SourceFile = "test.csv",
            Sensitivity = sensitivity,
            Detected = detected,
        };
    }

    /// <summary>A result as the normaliser makes it from a lab's value and unit (each spelling goes through the real code).</summary>
    public static LabResult Normalized(string analyte, string value, string unit, int day, string? sensitivity = null)
    {
        var date = new DateOnly(2024, 8, 27).AddDays(day);
        var outcome = Normalizer().Normalize(new RawResult
        {
            PatientId = "PT-T1",
            AnalyteCode = analyte,
            ValueText = value,
            Unit = unit,
            CollectedAtText = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T08:00:00+02:00",
            SensitivityText = sensitivity,
        }, "test.csv");
        return outcome.Result ?? throw new InvalidOperationException(outcome.Error!.ToString());
    }

    /// <summary>The rule engine with every rule, registered as the hosts register it; options may be changed.</summary>
    public static RuleEngine Engine(Action<IServiceCollection>? configure = null)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddCarTLabPipelineCore(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        configure?.Invoke(services);

        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RuleEngine>(provider);
    }

    /// <summary>Changes a rule's options (<c>Engine(Configure&lt;IgGLowOptions&gt;(o =&gt; o.ThresholdMgPerDl = 400))</c>).</summary>
    public static Action<IServiceCollection> Configure<TOptions>(Action<TOptions> change)
        where TOptions : class => services => services.Configure(change);

    /// <summary>Evaluates with every rule and returns the alerts of <paramref name="ruleId"/>.</summary>
    public static List<CarTLabPipeline.Alerts.Alert> Fired(string ruleId, IEnumerable<LabResult> history, Action<IServiceCollection>? configure = null, Enrollment? enrollment = null) =>
        Engine(configure).Evaluate(enrollment ?? Enrollment(), history, Now).Where(a => a.RuleId == ruleId).ToList();

    public static ResultNormalizer Normalizer(string defaultZone = "UTC") =>
        new(Options.Create(new IngestionOptions { DefaultTimeZone = defaultZone }), new FakeTimeProvider(Now));
}
