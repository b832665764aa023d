using System.Diagnostics;
using System.Text.Json;
using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>
/// Every user error is one line on stderr saying what and how to fix it, with the exit code that says whether trying
/// again can help (1: no, 75: yes); never a stack trace without <c>--verbose</c> (issue 16).
/// </summary>
[Trait("Category", "Integration")]
[Collection(CartlabCollection.Name)]
public class CliErrorTests(CartlabFixture cartlab)
{
    private async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Program.RunAsync(args, stdout, stderr, default, cartlab.Settings);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("Email:Provider", "Smpt", "cartlab: setting Email__Provider='Smpt' is not one of None, Smtp, SendGrid")]
    [InlineData("Smtp:Port", "abc", "cartlab: setting Smtp__Port='abc' is not a whole number")]
    [InlineData("Notifications:MaxAttempts", "0", "cartlab: configuration: Notifications__MaxAttempts: The field MaxAttempts must be between 1 and 50.")]
    [InlineData("Notifications:ClaimLease", "00:00:01", "cartlab: configuration: Notifications__ClaimLease: The field ClaimLease must be between 00:00:05 and 01:00:00.")]
    [InlineData("Evaluation:MaxRecordVersions", "500", "cartlab: configuration: Evaluation__MaxRecordVersions: The field MaxRecordVersions must be between 1000 and 1000000.")]
    public async Task UnreadableSetting_NamesItAsItIsSet_AndWhatItMustBe_Exit1(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>(cartlab.Settings) { [key] = value };
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await Program.RunAsync(["status", "--storage", cartlab.ConnectionString], stdout, stderr, default, settings);

        Assert.Equal((1, expected), (code, OneLine(stderr.ToString())));
    }

    internal static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{stderr}");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        return lines[0].TrimEnd();
    }

    [Fact]
    public async Task Process_MissingFile_OneLine_Exit1()
    {
        var (code, _, stderr) = await Run("process", "/no/such/folder/results.csv", "--storage", cartlab.ConnectionString);

        Assert.Equal((1, "cartlab: no such file or directory: /no/such/folder/results.csv; give a lab file (HL7 v2, FHIR JSON or CSV) or a folder of them"), (code, OneLine(stderr)));
    }

    [Fact]
    public async Task BadStorageString_OneLine_Exit1_WithoutRepeatingTheString()
    {
        var (code, _, stderr) = await Run("alerts", "--storage", "AccountKey=secret-looking-value;not a connection string");

        Assert.Equal(1, code);
        var line = OneLine(stderr);
        Assert.StartsWith("cartlab: --storage / AzureWebJobsStorage is not a storage connection string (", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-value", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongAccountKey_SaysTheKeyIsWrong_NotThatASignedInIdentityLacksARole_Exit1()
    {
        var wrongKey = cartlab.ConnectionString.Replace("AccountKey=Eby8", "AccountKey=Aby8", StringComparison.Ordinal);

        var (code, _, stderr) = await Run("status", "--storage", wrongKey);

        Assert.Equal(1, code);
        Assert.Contains("the account key in the connection string is wrong, or the account does not accept keys", OneLine(stderr), StringComparison.Ordinal);
        Assert.DoesNotContain("signed-in identity", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Aby8", stderr, StringComparison.Ordinal); // never the key
    }

    [Fact]
    public async Task Png_IntoAMissingFolder_OrAFolder_OneLine_Exit1()
    {
        var missing = await Run("timeline", "PT-X", "--png", "/no/such/folder/x.png", "--storage", cartlab.ConnectionString);
        var folder = await Run("timeline", "PT-X", "--png", Path.GetTempPath(), "--storage", cartlab.ConnectionString);

        Assert.Equal((1, "cartlab: --png /no/such/folder/x.png: the folder /no/such/folder does not exist; create it or write the PNG elsewhere"),
            (missing.Code, OneLine(missing.Stderr)));
        Assert.Equal(1, folder.Code);
        Assert.Contains(": is a folder; give a file name", OneLine(folder.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDates_OneLine_Exit1()
    {
        var asOf = await Run("evaluate", "PT-X", "--as-of", "next tuesday", "--storage", cartlab.ConnectionString);
        var eventDate = await Run("event", "add", "PT-X", "--kind", "crs", "--date", "30/08/2024", "--storage", cartlab.ConnectionString);

        Assert.Equal((1, "cartlab: --as-of 'next tuesday' is not a date: write yyyy-MM-dd or an ISO 8601 date-time, e.g. 2024-10-20 or " +
            "2024-10-20T08:00+02:00. ('cartlab --help' shows the usage)"), (asOf.Code, OneLine(asOf.Stderr)));
        Assert.Equal((1, "cartlab: --date '30/08/2024' is not a calendar date; write it as yyyy-MM-dd (the patient's local date)."), (eventDate.Code, OneLine(eventDate.Stderr)));
    }

    [Fact]
    public async Task ValuesOfTheWrongType_AreSaidInTheDocumentsTerms_NotAsDotNetTypes()
    {
        var file = Path.Combine(Path.GetTempPath(), $"enroll-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"patientId":"PT-Y","infusionDate":"2025-13-01","product":"brexu-cel","timeZone":"Europe/Rome"}""");

        var enroll = await Run("enroll", file, "--storage", cartlab.ConnectionString);
        var grade = await Run("event", "add", "PT-Y", "--kind", "crs", "--date", "2024-08-30", "--grade", "two", "--storage", cartlab.ConnectionString);

        Assert.Equal((1, $"{file}: not a valid enrollment JSON document: infusionDate must be a date (YYYY-MM-DD) (line 1, column 48)"), (enroll.Code, OneLine(enroll.Stderr)));
        Assert.Equal((1, "cartlab: Cannot parse argument 'two' for option '--grade' as a whole number. ('cartlab --help' shows the usage)"), (grade.Code, OneLine(grade.Stderr)));
    }

    [Fact]
    public async Task BadAccountName_OneLine_Exit1()
    {
        var (code, _, stderr) = await Run("status", "--account", "Not_An_Account");

        Assert.Equal(1, code);
        Assert.StartsWith("cartlab: --account 'Not_An_Account' is not a storage account name", OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedCommand_SaysDidYouMean_OneLine_Exit1()
    {
        var typo = await Run("stauts", "--storage", cartlab.ConnectionString);
        var subTypo = await Run("event", "ad", "PT-X");
        var nothingClose = await Run("frobnicate");

        Assert.Equal((1, "cartlab: 'stauts' is not a cartlab command; did you mean 'status'? ('cartlab --help' lists the commands)"), (typo.Code, OneLine(typo.Stderr)));
        Assert.Equal((1, "cartlab: 'ad' is not a cartlab event command; did you mean 'add'? ('cartlab --help' lists the commands)"), (subTypo.Code, OneLine(subTypo.Stderr)));
        Assert.Equal((1, "cartlab: 'frobnicate' is not a cartlab command ('cartlab --help' lists the commands)"), (nothingClose.Code, OneLine(nothingClose.Stderr)));
    }

    [Fact]
    public async Task Enroll_MissingFileOrFolder_OneLine_Exit1_BeforeAnyServiceStarts()
    {
        var clock = Stopwatch.StartNew();
        var missing = await Run("enroll", "/no/such/folder/pt-1.json", "--storage", cartlab.ConnectionString);
        var folder = await Run("enroll", Path.GetTempPath().TrimEnd('/'), "--storage", cartlab.ConnectionString);

        Assert.Equal((1, "cartlab: enroll /no/such/folder/pt-1.json: no such file; give the path of an enrollment JSON document (docs/design.md §4)"),
            (missing.Code, OneLine(missing.Stderr)));
        Assert.Equal(1, folder.Code);
        Assert.EndsWith(": is a folder; give the enrollment JSON files in it (e.g. " + Path.Combine(Path.GetTempPath(), "*.json") + ")", OneLine(folder.Stderr), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}: the files are checked before storage is contacted");
    }

    [Fact]
    public async Task Enroll_NotJson_OneLineNamingTheFile_Exit1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"enroll-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "patientId: PT-1\n");

        var (code, _, stderr) = await Run("enroll", file, "--storage", cartlab.ConnectionString);

        Assert.Equal(1, code);
        Assert.StartsWith($"{file}: not a valid enrollment JSON document: ", OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertsJson_CarriesEachDeliverysStateAttemptsAndLastError()
    {
        var (patient, enrollment, csv) = await LowIgGCase.WriteAsync("AJ");
        Assert.Equal(0, (await Run("enroll", enrollment, "--storage", cartlab.ConnectionString)).Code);
        Assert.Equal(0, (await Run("process", csv, "--lab", "alerts-json", "--storage", cartlab.ConnectionString)).Code);

        var (code, stdout, _) = await Run("alerts", "--patient", patient, "--json", "--storage", cartlab.ConnectionString);

        Assert.Equal(0, code);
        var alert = JsonDocument.Parse(Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal("igg.low", alert.GetProperty("ruleId").GetString());
        var email = alert.GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("recipient").GetString() == "dr.a@hospital.example");
        Assert.Equal(("email", "sent", 1, JsonValueKind.Null), (email.GetProperty("channel").GetString(), email.GetProperty("state").GetString(),
            email.GetProperty("attempts").GetInt32(), email.GetProperty("lastError").ValueKind));
    }
}
