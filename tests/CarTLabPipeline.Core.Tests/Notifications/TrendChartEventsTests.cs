using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Notifications;

public class TrendChartEventsTests
{
    private static readonly DateOnly s_infusion = new(2024, 8, 27);

    private static TreatmentEvent On(TreatmentEventKind kind, int day, string? detail = null, int? grade = null) =>
        new() { Kind = kind, Date = s_infusion.AddDays(day), Detail = detail, Grade = grade };

    [Fact]
    public void ForAnalyte_MarksTheEventsWithinThePlottedDays_OneLabelPerDayAndKind()
    {
        var enrollment = Enrollment() with
        {
            Events = [
                On(TreatmentEventKind.BridgingTherapy, -26, "inotuzumab"), // before the first point and day 0: not plotted
                On(TreatmentEventKind.Crs, 3, grade: 1),
                On(TreatmentEventKind.ProphylaxisStop, 90, "cotrimoxazole"), On(TreatmentEventKind.ProphylaxisStop, 90, "acyclovir"),
                On(TreatmentEventKind.Vaccination, 400), // after the last point: not plotted
            ],
        };

        var chart = TrendCharts.ForAnalyte(Analyte.IgG, enrollment, [Result(Analyte.IgG, -5, 450m), Result(Analyte.IgG, 120, 250m)], null);

        Assert.Equal([new TrendEvent(3, "CRS G1"), new TrendEvent(90, "prophylaxis stop (acyclovir, cotrimoxazole)")], chart!.Events);
        Assert.Equal("infusion", chart.DayZeroLabel);
    }

    [Fact]
    public void ForAnalyte_AfterASecondInfusion_CountsDaysFromIt()
    {
        var enrollment = Enrollment() with { Events = [On(TreatmentEventKind.SecondInfusion, 200)] };

        var chart = TrendCharts.ForAnalyte(Analyte.IgG, enrollment, [Result(Analyte.IgG, 150, 450m), Result(Analyte.IgG, 228, 250m)], null);

        Assert.Equal([-50, 28], chart!.Points.Select(p => p.Day));
        Assert.Equal([new TrendEvent(0, "2nd infusion")], chart.Events);
        Assert.Equal("2nd infusion", chart.DayZeroLabel);
    }
}
