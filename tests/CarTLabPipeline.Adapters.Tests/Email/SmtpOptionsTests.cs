using CarTLabPipeline.Adapters;
using CarTLabPipeline.Adapters.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Adapters.Tests.Email;

/// <summary>Production transports fail closed: no SMTP host or port is assumed, a missing one stops the host at start-up.</summary>
public class SmtpOptionsTests
{
    private static SmtpOptions Resolve(Dictionary<string, string?> settings)
    {
        settings[SettingNames.StorageConnection] = SettingNames.DevelopmentStorage;
        settings[SettingNames.EmailProvider] = "Smtp";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddCarTLabPipeline(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<SmtpOptions>>().Value;
    }

    [Fact]
    public void SmtpProvider_WithoutHost_FailsValidation_NamingSmtpHost()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Smtp:Port"] = "587" }));

        Assert.Contains("Smtp__Host", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmtpProvider_WithoutPort_FailsValidation_NamingSmtpPort()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Smtp:Host"] = "relay.hospital.example" }));

        Assert.Contains("Smtp__Port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmtpProvider_WithHostAndPort_IsValid_AndNothingIsAssumed()
    {
        var options = Resolve(new() { ["Smtp:Host"] = "relay.hospital.example", ["Smtp:Port"] = "587" });

        Assert.Equal(("relay.hospital.example", 587), (options.Host, options.Port));
    }

    [Fact]
    public void Defaults_NameNoHostAndNoPort()
    {
        var options = new SmtpOptions();

        Assert.Equal((null, null), (options.Host, options.Port));
    }
}
