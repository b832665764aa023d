using CarTLabPipeline.Adapters;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// What <c>cartlab</c> uses when nothing else is configured (docs/design.md §7): email by SMTP to MailDev on loopback, with
/// example on-call and ops lists. Environment variables and <see cref="SessionOptions.Settings"/> override each.
/// </summary>
public static class LocalDefaults
{
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        [SettingNames.EmailProvider] = "Smtp",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = "1025",
        ["Smtp:Security"] = "None",
        ["Email:From"] = "CAR-T lab alerts <cart-alerts@hospital.example>",
        ["Email:OnCall"] = "haematology.oncall@hospital.example",
        ["Email:Ops"] = "cartlab.ops@hospital.example",
        ["Email:PublicBaseUrl"] = "http://127.0.0.1:7071",
    };
}
