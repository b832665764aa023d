
namespace CarTLabPipeline.Results;

/// <summary>
/// A patient's record for people (<c>GET /api/patients/{id}/results</c>, <c>cartlab results</c>): the current value of
/// every result and where it came from. Property names are the JSON names (camelCase, <c>PipelineJson</c>).
/// </summary>
/// <param name="PatientId">The patient.</param>
/// <param name="Product">CAR-T product of the enrollment.</param>
/// <param name="InfusionDate">Day 0, in <paramref name="TimeZone"/>.</param>
/// <param name="TimeZone">IANA zone in which <see cref="ResultView.CollectedOn"/> and day +N are counted.</param>
/// <param name="Results">Every result in collection order, withdrawn ones included (see <see cref="ResultView.Withdrawn"/>).</param>
public sealed record PatientResultsView(
    string PatientId,
    string Product,
    DateOnly InfusionDate,
    string TimeZone,
    IReadOnlyList<ResultView> Results);
