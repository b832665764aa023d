using Microsoft.AspNetCore.Http;

namespace CarTLabPipeline.Http;

/// <summary>Who made a request, as the host established it (never as the request body says).</summary>
/// <param name="Name">What is recorded as <c>acknowledgedBy</c>: the sign-in name (e.g. the UPN), else the principal id.</param>
/// <param name="Development">True for the local development identity (the workspace labels it).</param>
public sealed record SignedInUser(string Name, bool Development)
{
    /// <summary>Easy Auth's header with the signed-in principal's name (set by the platform, stripped from client requests).</summary>
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>Easy Auth's header with the principal's object id (app-only tokens of ops automation have no name).</summary>
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    /// <summary>
    /// The user of <paramref name="context"/> under <paramref name="options"/>, or null when nobody is signed in: with Easy
    /// Auth, the principal headers; in development, the development identity for loopback callers only.
    /// </summary>
    public static SignedInUser? Of(HttpContext context, HttpApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Identity == IdentitySource.Development)
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is not null && System.Net.IPAddress.IsLoopback(remote) ? new SignedInUser(options.DevelopmentUser, Development: true) : null;
        }

        var name = First(context.Request.Headers[PrincipalNameHeader]) ?? First(context.Request.Headers[PrincipalIdHeader]);
        return name is null ? null : new SignedInUser(name, Development: false);
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
