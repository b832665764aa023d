using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Functions.Tests;

/// <summary>
/// Names that deploy: the Bicep CLI's own snapshot evaluates main.bicep for an environment name (offline, with a fixed
/// subscription and resource group) and every predicted resource name is checked against its Azure naming rule — for
/// docs/deploy.md's example (<c>azd env new cartlab-dev</c>) at its longest (<c>cartlab-prod</c>, 12 characters, the most the
/// template takes), the two parameter files and an awkward 12-character name. Each snapshot compiles main.bicep, so the
/// tests share four: one per name, each with three ops addresses in the one setting.
/// </summary>
public partial class DeploymentNamesTests
{
    private static readonly string s_infra = Path.Combine(RepositoryPaths.Root, "infra");

    /// <summary>Azure's rules per resource type (learn.microsoft.com "naming rules and restrictions for Azure resources").</summary>
    private static readonly Dictionary<string, Regex> s_rules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Storage/storageAccounts"] = new("^[a-z0-9]{3,24}$"),
        ["Microsoft.KeyVault/vaults"] = new("^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$"),
        ["Microsoft.ServiceBus/namespaces"] = new("^(?!.*(-sb|-mgmt)$)[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$"),
        ["Microsoft.Web/sites"] = new("^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$"),
        ["Microsoft.Web/serverfarms"] = new("^[a-zA-Z0-9-]{1,60}$"),
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = new("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$"),
        ["Microsoft.OperationalInsights/workspaces"] = new("^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$"),
        ["Microsoft.Insights/components"] = new(@"^[^%&\\?/]{1,260}$"),
        ["Microsoft.EventGrid/systemTopics"] = new("^[a-zA-Z0-9-]{3,128}$"),
        ["Microsoft.Network/virtualNetworks"] = new("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}[a-zA-Z0-9_]$"),
        ["Microsoft.Insights/actionGroups"] = new("^[a-zA-Z0-9_.-]{1,260}$"),
        ["Microsoft.Insights/webtests"] = new(@"^[^<>*%&:\\?+/]{1,260}$"),
        ["Microsoft.Insights/metricAlerts"] = new(@"^[^<>*%&:\\?+/]{1,260}$"),
        ["Microsoft.Insights/scheduledQueryRules"] = new(@"^[^*<>%{}&:\\?/#|\p{Cc}]{1,260}$"),
        ["Microsoft.Insights/workbooks"] = new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), // a workbook's name is a GUID
    };

    public static TheoryData<string> EnvironmentNames() => ["cartlab-prod", "dev", "Ops_Test.12", "ab"];

    [Theory]
    [MemberData(nameof(EnvironmentNames))]
    public void EveryResourceName_FollowsItsAzureRule(string environmentName)
    {
        var snapshot = Snapshot(environmentName);
        var resources = TopLevelResources(snapshot).ToList();

        Assert.NotEmpty(resources);
        foreach (var type in s_rules.Keys.Where(t => t != "Microsoft.Network/virtualNetworks"))
        {
            Assert.Contains(resources, r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));
        }

        foreach (var (type, name) in resources)
        {
            Assert.True(s_rules.TryGetValue(type, out var rule), $"no naming rule known for {type} ({name}): add it to this test");
            Assert.True(rule!.IsMatch(name), $"{type} name '{name}' breaks Azure's rule {rule} (environment '{environmentName}')");
        }
    }

    [Fact]
    public void StorageAndKeyVaultNames_KeepTheWholeUniqueSuffix_ForTheLongestEnvironmentName()
    {
        var resources = TopLevelResources(Snapshot("cartlab-prod")).ToList();

        // The function app's name ends with the 13-character uniqueString of subscription, group and environment; the
        // 24-character types keep all of it (the old names kept one character of it for a 12-character environment).
        var suffix = resources.Single(r => r.Type == "Microsoft.Web/sites").Name[^13..];
        Assert.Matches("^[a-z0-9]{13}$", suffix);
        Assert.EndsWith(suffix, resources.Single(r => r.Type == "Microsoft.Storage/storageAccounts").Name, StringComparison.Ordinal);
        Assert.EndsWith(suffix, resources.Single(r => r.Type == "Microsoft.KeyVault/vaults").Name, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionGroup_EmailsEveryOpsAddress()
    {
        var snapshot = Snapshot("dev");
        var group = snapshot.GetProperty("predictedResources").EnumerateArray()
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Insights/actionGroups");
        var addresses = group.GetProperty("properties").GetProperty("emailReceivers").EnumerateArray()
            .Select(r => r.GetProperty("emailAddress").GetString()).ToList();

        Assert.Equal(["ops1@hospital.example", "ops2@hospital.example", "ops3@hospital.example"], addresses);
        Assert.True(group.GetProperty("properties").GetProperty("groupShortName").GetString()!.Length <= 12);
    }

    [Fact]
    public void WorkbookAndAlertRules_QueryOnlyGaugesTheAppPublishes_AndTheWorkbookShowsEveryGauge()
    {
        var resources = Snapshot("dev").GetProperty("predictedResources").EnumerateArray().ToList();
        var serialized = JsonDocument.Parse(resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Insights/workbooks")
            .GetProperty("properties").GetProperty("serializedData").GetString()!).RootElement;
        var workbook = string.Join('\n', serialized.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("content").TryGetProperty("query", out _))
            .Select(i => i.GetProperty("content").GetProperty("query").GetString()));
        var rules = string.Join('\n', resources.Where(r => r.GetProperty("type").GetString() == "Microsoft.Insights/scheduledQueryRules")
            .SelectMany(r => r.GetProperty("properties").GetProperty("criteria").GetProperty("allOf").EnumerateArray())
            .Select(c => c.GetProperty("query").GetString()));
        var published = PublishedGauges();

        Assert.Equal("Notebook/1.0", serialized.GetProperty("version").GetString());
        Assert.Subset(published, GaugeNames(workbook));
        Assert.Subset(published, GaugeNames(rules));
        Assert.Equal(published, GaugeNames(workbook));
    }

    private static HashSet<string> GaugeNames(string queries) =>
        System.Text.RegularExpressions.Regex.Matches(queries, "\"(cartlab\\.[a-z_.]+)\"").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The instruments <see cref="CarTLabPipeline.Operations.PipelineGauges"/> creates, as a MeterListener sees them.</summary>
    private static HashSet<string> PublishedGauges()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == CarTLabPipeline.Operations.PipelineGauges.MeterName)
                {
                    names.Add(instrument.Name);
                }
            },
        };
        listener.Start();
        using var meters = new Meters();
        using var gauges = new CarTLabPipeline.Operations.PipelineGauges(meters, TimeProvider.System);
        return names;
    }

    private sealed class Meters : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }

    private static IEnumerable<(string Type, string Name)> TopLevelResources(JsonElement snapshot) =>
        snapshot.GetProperty("predictedResources").EnumerateArray()
            .Select(r => (Type: r.GetProperty("type").GetString()!, Name: r.GetProperty("name").GetString()!))
            .Where(r => r.Type.Count(c => c == '/') == 1 && r.Type != "Microsoft.Authorization/roleAssignments");

    /// <summary>One <c>bicep snapshot</c> per environment name for the whole class (each compiles main.bicep).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JsonElement>> s_snapshots = new();

    private static JsonElement Snapshot(string environmentName) =>
        s_snapshots.GetOrAdd(environmentName, name => new Lazy<JsonElement>(() => TakeSnapshot(name, OpsAddresses))).Value;

    /// <summary>The ops list as operators set it: three addresses, separated by ';' and ','.</summary>
    private const string OpsAddresses = "ops1@hospital.example; ops2@hospital.example,ops3@hospital.example";

    private static JsonElement TakeSnapshot(string environmentName, string emailOps)
    {
        var dir = Directory.CreateTempSubdirectory("cartlab-names-");
        try
        {
            var main = Path.GetRelativePath(dir.FullName, Path.Combine(s_infra, "main.bicep")).Replace('\\', '/');
            var parameters = Path.Combine(dir.FullName, "names.bicepparam");
            File.WriteAllText(parameters, $"""
                using '{main}'

                param environmentName = '{environmentName}'
                param emailFrom = 'CAR-T lab alerts <cart-alerts@hospital.example>'
                param emailOnCall = 'haematology.oncall@hospital.example'
                param emailOps = '{emailOps}'
                param enableVnetIntegration = true

                """);
            return BicepServer.Shared.Snapshot(parameters, subscriptionId: "00000000-0000-0000-0000-000000000001",
                tenantId: "00000000-0000-0000-0000-000000000002", resourceGroup: "rg-cartlab", location: "westeurope");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
