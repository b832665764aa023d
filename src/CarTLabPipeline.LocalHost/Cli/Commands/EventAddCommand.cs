using System.CommandLine;
using System.Globalization;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary>
/// <c>cartlab event add</c>: records a treatment event on an enrolled patient, then runs the re-evaluation it queues and
/// prints the alerts it raised, updated or retracted — as <c>enroll</c> does.
/// </summary>
internal sealed class EventAddCommand(CliOutput output, EnrollmentService enrollments, PipelineWait wait, AlertActivityService alerts, TimeProvider time)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Argument<string>("patientId") { Description = "The enrolled patient" };
        var kind = new Option<string>("--kind") { Description = "What happened: " + string.Join(", ", TreatmentEventKinds.Names), Required = true };
        var date = new Option<string>("--date") { Description = "The patient's local calendar date, yyyy-MM-dd", Required = true };
        var grade = new Option<int?>("--grade") { Description = "ASTCT grade 1-4 (crs and icans only)" };
        var detail = new Option<string?>("--detail") { Description = "Which: e.g. cotrimoxazole, acyclovir (prophylaxis), IVIG/SCIG (immunoglobulin)" };
        var note = new Option<string?>("--note") { Description = "Free text for people (not read by the rules)" };
        var add = new Command("add", "Record a treatment event (CRS, ICANS, immunoglobulin or prophylaxis start/stop, second infusion, HSCT…), re-evaluate, print what changed")
        {
            patient, kind, date, grade, detail, note,
        };
        add.SetAction((r, ct) => Validate(cli.Output, r.GetValue(kind)!, r.GetValue(date)!, r.GetValue(grade), r.GetValue(detail), r.GetValue(note)) is { } treatmentEvent
            ? cli.RunAsync<EventAddCommand>(r, TriggerMode.Evaluation, (c, _) => c.RunAsync(r.GetValue(patient)!, treatmentEvent, ct), ct)
            : Task.FromResult(1));
        return new Command("event", "Treatment events of an enrolled patient") { add };
    }

    /// <summary>The event, or null after saying on stderr which option cannot be read (before any service starts).</summary>
    private static TreatmentEvent? Validate(CliOutput output, string kind, string date, int? grade, string? detail, string? note)
    {
        if (!TreatmentEventKinds.TryParse(kind, out var parsedKind))
        {
            output.Error.WriteLine($"cartlab: --kind '{kind}' is not a treatment event kind; use one of {string.Join(", ", TreatmentEventKinds.Names)}.");
            return null;
        }

        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsedDate))
        {
            output.Error.WriteLine($"cartlab: --date '{date}' is not a calendar date; write it as yyyy-MM-dd (the patient's local date).");
            return null;
        }

        return new TreatmentEvent { Kind = parsedKind, Date = parsedDate, Grade = grade, Detail = detail, Note = note };
    }

    public async Task<int> RunAsync(string patientId, TreatmentEvent treatmentEvent, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        EventAddResult? result;
        try
        {
            result = await enrollments.AddEventAsync(patientId, treatmentEvent, ct).ConfigureAwait(false);
        }
        catch (EnrollmentValidationException ex)
        {
            output.Error.WriteLine($"{patientId}: {string.Join("; ", ex.Errors.Select(e => e.ErrorMessage))}");
            return 1;
        }

        if (result is null)
        {
            output.Error.WriteLine($"Patient {patientId} is not enrolled: enroll them first ('cartlab enroll FILE').");
            return 1;
        }

        var what = $"{treatmentEvent.KindName} on {treatmentEvent.Date:yyyy-MM-dd}{(treatmentEvent.Grade is { } g ? $" (grade {g})" : string.Empty)}" +
            $"{(string.IsNullOrWhiteSpace(treatmentEvent.Detail) ? string.Empty : $" ({treatmentEvent.Detail.Trim()})")}";
        output.Out.WriteLine(result.Outcome switch
        {
            EventAddOutcome.AlreadyPresent => $"{patientId}: {what} is already recorded; nothing changed.",
            EventAddOutcome.Updated => $"{patientId}: {what} updated ({result.Enrollment.Events.Count} event(s) on record).",
            _ => $"{patientId}: {what} recorded ({result.Enrollment.Events.Count} event(s) on record).",
        });
        if (result.Outcome == EventAddOutcome.AlreadyPresent)
        {
            return 0;
        }

        if (!await wait.UntilIdleAsync(ct).ConfigureAwait(false))
        {
            return 1;
        }

        var changed = await alerts.ChangedSinceAsync(started, patientId, ct).ConfigureAwait(false);
        output.Out.WriteLine(changed.Count > 0
            ? $"{changed.Count} alert(s) raised, updated or retracted by the re-evaluation:"
            : "The re-evaluation changed no alert.");
        if (changed.Count > 0)
        {
            AlertPrinter.Print(output.Out, AlertPrinter.Order(changed), json: false);
        }

        return 0;
    }
}
