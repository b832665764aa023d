namespace CarTLabPipeline.Http;

/// <summary>Where the signed-in user of a request comes from.</summary>
public enum IdentitySource
{
    /// <summary>
    /// App Service built-in authentication (Easy Auth) in front of the Functions app: the platform signs the user in with
    /// Entra ID and passes the principal in <c>X-MS-CLIENT-PRINCIPAL-NAME</c> / <c>-ID</c>, headers a client cannot set
    /// while authentication is on. The default.
    /// </summary>
    EasyAuth,

    /// <summary>
    /// <c>cartlab serve</c>: a fixed development identity (<see cref="HttpApiOptions.DevelopmentUser"/>), granted only to
    /// requests from a loopback address and labelled as such on every page.
    /// </summary>
    Development,
}
