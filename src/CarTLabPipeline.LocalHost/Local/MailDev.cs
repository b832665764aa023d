using System.Globalization;

namespace CarTLabPipeline.LocalHost.Local;

/// <summary>MailDev (npm <c>maildev</c>): an SMTP server with a web inbox, the local stand-in for the hospital relay.</summary>
public static class MailDev
{
    public const int DefaultSmtpPort = 1025;
    public const int DefaultWebPort = 1080;

    /// <summary>The inbox for people: <c>http://127.0.0.1:1080</c>.</summary>
    public static Uri WebUri(int webPort = DefaultWebPort) => new($"http://127.0.0.1:{webPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>
    /// Starts MailDev on loopback. With <paramref name="mailDirectory"/> the mails are saved there and shown again by the
    /// next MailDev started on it (the demo stops its MailDev; <c>cartlab serve</c> shows the same inbox); else in memory.
    /// </summary>
    public static Task<LocalNodeService> StartAsync(int smtpPort, int webPort, string? mailDirectory, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            "--smtp", smtpPort.ToString(CultureInfo.InvariantCulture), "--web", webPort.ToString(CultureInfo.InvariantCulture),
            "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent",
        };
        if (mailDirectory is not null)
        {
            Directory.CreateDirectory(mailDirectory);
            args.AddRange(["--mail-directory", mailDirectory]);
        }

        return LocalNodeService.StartAsync("MailDev", "maildev", args, [smtpPort, webPort], LocalNodeService.StartTimeout, cancellationToken);
    }
}
