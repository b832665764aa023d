using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Results;

/// <summary>
/// What the HTTP API and <c>cartlab results</c> ask of stored results: a patient's current record, and for each value
/// the versions the lab sent and where each came from (file, line, message time).
/// </summary>
public sealed class ResultQueryService(IPatientStore patients, PatientRecordReader records)
{
    /// <summary>
    /// The patient's record: every result in collection order (withdrawn ones included and marked), with each result's
    /// versions when <paramref name="includeVersions"/>.
    /// </summary>
    /// <returns>The record; or not enrolled, or a record too large to read (<see cref="PatientRecordReader"/>).</returns>
    public async Task<PatientQuery<PatientResultsView>> GetAsync(string patientId, bool includeVersions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        if (await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false) is not { } enrollment)
        {
            return PatientQuery<PatientResultsView>.NotEnrolled(patientId);
        }

        return await records.ReadAsync(patientId, sources: true, read => read.TooLarge
            ? PatientQuery<PatientResultsView>.RecordTooLarge(patientId, read.Limit)
            : PatientQuery<PatientResultsView>.Answered(patientId, View(enrollment, LabRecord.Resolve(read.Versions), includeVersions)), cancellationToken).ConfigureAwait(false);
    }

    private static PatientResultsView View(Enrollment enrollment, LabRecord record, bool includeVersions)
    {
        var zone = enrollment.ResolveTimeZone();
        var followUps = RuleContext.FollowUps(enrollment);
        var views = record.Results
            .OrderBy(r => r.CollectedAt.UtcTicks).ThenBy(r => r.Current.Analyte).ThenBy(r => r.ResultId, StringComparer.Ordinal)
            .Select(r => View(r, followUps, zone, includeVersions))
            .ToList();
        return new PatientResultsView(enrollment.PatientId, enrollment.Product, enrollment.InfusionDate, enrollment.TimeZone, views);
    }

    private static ResultView View(RecordedResult result, IReadOnlyList<FollowUp> followUps, TimeZoneInfo zone, bool includeVersions)
    {
        var current = result.Current;
        var collection = result.Collection; // a withdrawal that sent no collection time keeps the result's
        var localDate = Enrollment.CollectionDate(collection, zone);
        var followUp = RuleContext.FollowUpOn(followUps, localDate);
        return new ResultView
        {
            ResultId = result.ResultId,
            PatientId = current.PatientId,
            Analyte = AnalyteCatalog.Get(current.Analyte).Keyword,
            Loinc = current.Loinc,
            OriginalValue = current.OriginalValue,
            OriginalUnit = current.OriginalUnit,
            Value = current.Value,
            Unit = current.Unit,
            Comparator = current.Comparator,
            Detected = current.Detected,
            CollectedAt = collection.CollectedAt,
            CollectedAtKind = collection.CollectedAtKind,
            CollectedOn = localDate,
            DayPostInfusion = localDate.DayNumber - followUp.DayZero.DayNumber,
            DayZeroEvent = followUp.StartedBy?.Label,
            Status = current.Status,
            Withdrawn = result.Withdrawn,
            Identity = current.Identity,
            Lab = current.Lab,
            Specimen = current.Specimen,
            Method = current.Method,
            SourceFile = current.SourceFile,
            SourceLine = current.SourceLine,
            VersionCount = result.Versions.Count,
            Versions = includeVersions ? [.. result.Versions.Select(v => Version(v, ReferenceEquals(v, current)))] : null,
        };
    }

    private static ResultVersionView Version(LabResult version, bool current) => new()
    {
        VersionId = version.VersionId,
        Status = version.Status,
        Current = current,
        OriginalValue = version.OriginalValue,
        OriginalUnit = version.OriginalUnit,
        Value = version.Value,
        Unit = version.Unit,
        Comparator = version.Comparator,
        Detected = version.Detected,
        ReportedAt = version.ReportedAt,
        ReceivedAt = version.ReceivedAt,
        Lab = version.Lab,
        SourceFile = version.SourceFile,
        SourceLine = version.SourceLine,
        SourceSegment = version.SourceSegment,
        CollectedAt = version.CollectedAt,
        CollectedAtKind = version.CollectedAtKind,
        Specimen = version.Specimen,
        Method = version.Method,
    };
}
