using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Http;

/// <summary>The <c>Http</c> settings section: the local listener and where identities come from.</summary>
public sealed class HttpApiOptions
{
    public const string SectionName = "Http";

    /// <summary>The port <c>cartlab serve</c> listens on (127.0.0.1 only). Default 7071, the Functions host's local port.</summary>
    public const int DefaultPort = 7071;

    /// <summary>The name recorded for acknowledgements made with the development identity.</summary>
    public const string DefaultDevelopmentUser = "Local developer (development identity)";

    [Range(0, 65535)]
    public int Port { get; set; } = DefaultPort;

    public IdentitySource Identity { get; set; } = IdentitySource.EasyAuth;

    [Required]
    [StringLength(100, MinimumLength = 1)]
    public string DevelopmentUser { get; set; } = DefaultDevelopmentUser;
}
