using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Functions.Tests;

/// <summary>
/// infra/ built and linted with the real Bicep CLI from NuGet, and the compiled ARM JSON checked: the security properties
/// ops rely on, and the names the code and the functions.metadata use.
/// </summary>
public partial class DeploymentContractTests
{
    private static readonly string s_infra = Path.Combine(RepositoryPaths.Root, "infra");

    /// <summary><c>bicep build main.bicep</c>, run once for the whole class: the template every check reads.</summary>
    private static readonly Lazy<BicepServer.Build> s_mainBuild = new(() => BicepServer.Shared.Compile(Path.Combine(s_infra, "main.bicep")));
    private static readonly Lazy<JsonElement> s_template = new(() => JsonDocument.Parse(s_mainBuild.Value.Output).RootElement.Clone());

    /// <summary>Data-plane roles the design allows (docs/deploy.md), nothing broader (no Owner, no Contributor).</summary>
    private static readonly HashSet<string> s_expectedRoles =
    [
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
        "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
        "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", // Storage Queue Data Message Sender (Event Grid)
        "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", // Azure Service Bus Data Sender
        "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
        "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor (ops, opsPrincipalId)
    ];

    /// <summary>
    /// What is built and linted: the template and its two parameter files. The modules are compiled and linted as part of
    /// main.bicep (<see cref="EveryModule_IsUsedByMain"/>), so each is compiled once, not once per module.
    /// </summary>
    public static TheoryData<string> EntryPoints() => ["main.bicep", "main.bicepparam", "main.prod.bicepparam"];

    /// <summary>
    /// A build runs every linter rule of <c>bicep lint</c> and reports the same warnings (checked with the CLI: an unused
    /// parameter or variable is reported by build, build-params and lint alike, and a parameter file's build reports its
    /// template's warnings too), so one build per entry point builds and lints it (<see cref="BicepServer"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void EntryPoint_BuildsWithZeroErrorsAndZeroLinterWarnings(string file)
    {
        var build = file == "main.bicep" ? s_mainBuild.Value : BicepServer.Shared.CompileParams(Path.Combine(s_infra, file));

        Assert.True(build.Success && build.Diagnostics.Count == 0, $"bicep build {file}:\n{string.Join('\n', build.Diagnostics)}");
    }

    [Fact]
    public void EveryModule_IsUsedByMain()
    {
        var main = File.ReadAllText(Path.Combine(s_infra, "main.bicep"));
        var modules = Directory.EnumerateFiles(Path.Combine(s_infra, "modules"), "*.bicep").Select(f => $"'modules/{Path.GetFileName(f)}'").ToList();

        Assert.NotEmpty(modules);
        Assert.All(modules, m => Assert.Contains(m, main, StringComparison.Ordinal));
        Assert.Equal(["main.bicep", "main.bicepparam", "main.prod.bicepparam"],
            Directory.EnumerateFiles(s_infra, "*.bicep*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Storage_IsLockedDown()
    {
        var account = Resources("Microsoft.Storage/storageAccounts").Single().GetProperty("properties");

        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", account.GetProperty("minimumTlsVersion").GetString());
        Assert.True(account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
    }

    [Fact]
    public void StorageNames_AreTheCodesConstants_AndCoverEveryTriggerQueue()
    {
        var main = s_template.Value.GetProperty("variables");

        Assert.Equal(PipelineNames.Containers.All.Order(), Strings(main.GetProperty("containers")).Order());
        Assert.Equal(PipelineNames.Tables.All.Order(), Strings(main.GetProperty("tables")).Order());
        Assert.Equal(PipelineNames.Queues.Triggered.Order(), Strings(main.GetProperty("triggeredQueues")).Order());
        Assert.Subset(PipelineNames.Queues.Triggered.ToHashSet(), FunctionsMetadataTests.TriggerQueues().ToHashSet());
        Assert.Contains(PipelineNames.ServiceBus.AlertsTopic, s_template.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_HoldNoSecret_AndConnectIdentityBased()
    {
        var settings = AppSettings();

        foreach (var connection in FunctionsMetadataTests.Connections())
        {
            Assert.DoesNotContain(connection, settings.Keys); // no connection string: identity-based only
            foreach (var suffix in new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri", "credential", "clientId" })
            {
                Assert.Contains($"{connection}__{suffix}", settings.Keys);
            }

            Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        }

        Assert.Contains(SettingNames.ServiceBusNamespace.Replace(":", "__", StringComparison.Ordinal), settings.Keys);
        Assert.DoesNotContain(SettingNames.ServiceBusConnectionString.Replace(":", "__", StringComparison.Ordinal), settings.Keys);
        Assert.Equal("SendGrid", settings[SettingNames.EmailProvider.Replace(":", "__", StringComparison.Ordinal)]);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings[SettingNames.SendGridApiKey.Replace(":", "__", StringComparison.Ordinal)], StringComparison.Ordinal);
        foreach (var (name, value) in settings)
        {
            Assert.False(SecretPattern().IsMatch(value), $"app setting {name} looks like it holds a secret: {value}");
        }
    }

    [Fact]
    public void FunctionApp_IsFlexConsumptionDotnet10_WithTheUserAssignedIdentity()
    {
        var plan = Resources("Microsoft.Web/serverfarms").Single();
        var site = Resources("Microsoft.Web/sites").Single();
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal(("dotnet-isolated", "10.0"), (config.GetProperty("runtime").GetProperty("name").GetString(), config.GetProperty("runtime").GetProperty("version").GetString()));
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        Assert.True(site.GetProperty("properties").GetProperty("httpsOnly").GetBoolean());
        Assert.True(site.GetProperty("properties").TryGetProperty("keyVaultReferenceIdentity", out _));
    }

    [Fact]
    public void Monitoring_KeyVault_ServiceBus_EventGrid_AreConfiguredAsTheDesignSays()
    {
        Assert.True(Resources("Microsoft.Insights/components").Single().GetProperty("properties").GetProperty("DisableLocalAuth").GetBoolean());
        Assert.True(Resources("Microsoft.KeyVault/vaults").Single().GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(Resources("Microsoft.ServiceBus/namespaces").Single().GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        Assert.True(Resources("Microsoft.ServiceBus/namespaces/topics").Single().GetProperty("properties").GetProperty("requiresDuplicateDetection").GetBoolean());

        var filter = Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single().GetProperty("properties").GetProperty("filter");
        var api = filter.GetProperty("advancedFilters")[0];
        Assert.Equal(("StringIn", "data.api"), (api.GetProperty("operatorType").GetString(), api.GetProperty("key").GetString()));
        Assert.Equal(["CopyBlob", "FlushWithClose", "PutBlob", "PutBlockList"], Strings(api.GetProperty("values")).Order());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], Strings(filter.GetProperty("includedEventTypes")));
    }

    [Fact]
    public void RoleAssignments_UseOnlyTheExpectedRoles_NamedByScopePrincipalAndRole()
    {
        var seen = new HashSet<string>();
        foreach (var (template, assignment) in Templates().SelectMany(t => ResourcesIn(t, "Microsoft.Authorization/roleAssignments").Select(r => (t, r))))
        {
            var roleExpression = assignment.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!;
            var roles = RoleIds(template, roleExpression).ToList();
            Assert.NotEmpty(roles);
            Assert.All(roles, r => Assert.Contains(r, s_expectedRoles));
            seen.UnionWith(roles);
            Assert.StartsWith("[guid(", assignment.GetProperty("name").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(s_expectedRoles.Order(), seen.Order()); // and every one of them is granted
    }

    private static IEnumerable<string> RoleIds(JsonElement template, string expression)
    {
        foreach (Match m in GuidPattern().Matches(expression))
        {
            yield return m.Value;
        }

        var variables = template.TryGetProperty("variables", out var v) ? v : default;
        foreach (Match m in VariablePattern().Matches(expression))
        {
            var value = variables.GetProperty(m.Groups[1].Value);
            foreach (var s in value.ValueKind == JsonValueKind.Array ? Strings(value) : [value.GetString()!])
            {
                foreach (var role in GuidPattern().IsMatch(s) ? [s] : RoleIds(template, s))
                {
                    yield return role;
                }
            }
        }
    }

    private static Dictionary<string, string> AppSettings() =>
        Resources("Microsoft.Web/sites").Single().GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);

    private static IEnumerable<JsonElement> Resources(string type) => Templates().SelectMany(t => ResourcesIn(t, type));

    private static IEnumerable<JsonElement> ResourcesIn(JsonElement template, string type) =>
        ResourceList(template).Where(r => r.GetProperty("type").GetString() == type);

    /// <summary>The main template and every nested module template.</summary>
    private static IEnumerable<JsonElement> Templates()
    {
        var pending = new Stack<JsonElement>([s_template.Value]);
        while (pending.Count > 0)
        {
            var template = pending.Pop();
            yield return template;
            foreach (var module in ResourceList(template).Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments"))
            {
                pending.Push(module.GetProperty("properties").GetProperty("template"));
            }
        }
    }

    /// <summary>Resources as an array (languageVersion 1.0) or a symbolic-name object (2.0).</summary>
    private static IEnumerable<JsonElement> ResourceList(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"variables\('([A-Za-z0-9_]+)'\)")]
    private static partial Regex VariablePattern();

    /// <summary>Connection strings with keys, SAS tokens, passwords, SendGrid keys: none may appear in an app setting.</summary>
    [GeneratedRegex("AccountKey=|SharedAccessKey|SharedAccessSignature|sig=|Password=|\\bSG\\.[A-Za-z0-9_-]{10,}", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();
}
