using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Results;
using Microsoft.AspNetCore.Http;

namespace CarTLabPipeline.Http;

/// <summary>RFC 9457 (formerly 7807) problem details for the API's errors: <c>application/problem+json</c>.</summary>
public static class ApiProblems
{
    public static IResult Of(int status, string title, string detail) => TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult NotEnrolled(string id) => Of(StatusCodes.Status404NotFound, "Patient not enrolled", $"no enrollment for patient {id}");

    /// <summary>
    /// A question about a patient's record with no answer: 404 when the patient is not enrolled; 409 when the record holds
    /// more versions than <c>Evaluation__MaxRecordVersions</c> (it is not read: the detail names the setting).
    /// </summary>
    public static IResult NoAnswer<T>(PatientQuery<T> query)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Status == PatientQueryStatus.RecordTooLarge
            ? Of(StatusCodes.Status409Conflict, "Record too large", query.Detail)
            : NotEnrolled(query.PatientId);
    }

    public static IResult NoAlert(string id) => Of(StatusCodes.Status404NotFound, "No such alert", $"no alert {id}");

    public static IResult SignInRequired() =>
        Of(StatusCodes.Status401Unauthorized, "Sign-in required", "this route needs a signed-in user (Entra ID in Azure; the development identity on loopback locally)");

    public static IResult Invalid(IReadOnlyList<ValidationResult> errors, string detail)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var byMember = errors
            .SelectMany(e => (e.MemberNames.Any() ? e.MemberNames : [string.Empty]).Select(m => (Member: m, Message: e.ErrorMessage ?? "invalid")))
            .GroupBy(e => e.Member, e => e.Message)
            .ToDictionary(g => g.Key, g => g.ToArray());
        return TypedResults.ValidationProblem(byMember, detail: detail, title: "Invalid request");
    }
}
