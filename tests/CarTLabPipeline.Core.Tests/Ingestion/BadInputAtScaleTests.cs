using System.Text;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Core.Tests.Ingestion;

/// <summary>
/// Bad input (issue 17 item 5, docs/reliability.md): each file is answered with an outcome — never an exception, never a
/// file left "processing" — its valid rows stored, its bad rows reported with a location.
/// </summary>
public class BadInputAtScaleTests
{
    private const string Header = "patient_id,collected_at,analyte,value,unit,specimen,accession";
    private const string ValidRow = "PT-BAD-1,2024-09-24T08:00:00+02:00,igg,250,mg/dL,serum,ACC-1";

    /// <summary>Bundle entries: 100,000 in the long run (CARTLAB_RELIABILITY=long), 5,000 otherwise.</summary>
    private static readonly int s_bundleEntries =
        string.Equals(Environment.GetEnvironmentVariable("CARTLAB_RELIABILITY"), "long", StringComparison.OrdinalIgnoreCase) ? 100_000 : 5_000;

    /// <summary>
    /// CSV rows: 1,000,000 in the long run, 20,000 otherwise. Azurite cannot store a million rows in a test's time
    /// (docs/reliability.md), so the whole file goes through the ingestion service here, onto the in-memory store with the
    /// table store's semantics: every valid row stored, the four bad ones reported with their line.
    /// </summary>
    private static readonly int s_csvRows =
        string.Equals(Environment.GetEnvironmentVariable("CARTLAB_RELIABILITY"), "long", StringComparison.OrdinalIgnoreCase) ? 1_000_000 : 20_000;

    /// <summary>Input → expected status, results stored, and the first error (with its location), or null for none.</summary>
    public static TheoryData<string, IngestionStatus, int, string?> Cases => new()
    {
        { "0-byte", IngestionStatus.Rejected, 0, "line 1: not a recognised lab file: expected a CSV" },
        { "0-byte", IngestionStatus.Rejected, 0, "the file is empty (0 bytes)" },
        { "binary", IngestionStatus.Rejected, 0, "the file holds binary content (NUL bytes), not text" },
        { "zip", IngestionStatus.Rejected, 0, "the file is a ZIP archive: unpack it" },
        { "utf16-csv", IngestionStatus.Rejected, 0, "the file is UTF-16 text (byte order mark FFFE); lab files are read as UTF-8" },
        { "10MB-single-line", IngestionStatus.Rejected, 0, "line 1: header column 8 is longer than 256 characters: the header row is not a list of column names" },
        { "json-nested-10000", IngestionStatus.Rejected, 0, "line 1: malformed JSON: The maximum configured depth of 64 has been exceeded" },
        { "hl7-50000-obx", IngestionStatus.Processed, 50_000, null },
        { "fhir-bundle", IngestionStatus.Processed, s_bundleEntries, null },
        { "csv-many-rows", IngestionStatus.Partial, s_csvRows - 4, $"line {(s_csvRows / 8) + 2}, field value: negative value -25" },
        { "patient-dotdot", IngestionStatus.Partial, 1, "line 2, field patient_id: patient_id must be 1–64 letters, digits or . _ - : @" },
        { "patient-control-chars", IngestionStatus.Partial, 1, "line 2, field patient_id: patient_id must be 1–64 letters, digits or . _ - : @" },
        { "year-1850", IngestionStatus.Partial, 1, "line 2, field collected_at: collected_at 1850-09-24 is before 1950" },
        { "year-2099", IngestionStatus.Partial, 1, "line 2, field collected_at: collected_at lies in the future" },
        { "negative-count", IngestionStatus.Partial, 1, "line 2, field value: negative value -25" },
        { "csv-formula", IngestionStatus.Partial, 1, "line 2, field specimen: specimen starts with '=', as a spreadsheet formula does" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_IsAnsweredWithAReportedOutcome_TheValidRestStored_TheOriginalKept(string name, IngestionStatus status, int stored, string? error)
    {
        var rig = new IngestionRig();
        var (file, bytes) = Build(name);

        var report = await rig.Ingestion.IngestAsync(new BytesSource(file, bytes), default);

        Assert.Equal((status, stored), (report.Status, report.Stored));
        Assert.Equal(status, rig.Ledger.Content[report.ContentSha256].Status); // never left "processing"
        if (error is null)
        {
            Assert.Empty(report.Errors);
        }
        else
        {
            Assert.Contains(error, report.Errors[0].ToString(), StringComparison.Ordinal);
            Assert.True(rig.Files.Rejections.ContainsKey(file), "the original and its report go to lab-results-rejected");
            Assert.True(report.Errors[0].ToString().Length < 600, "a reason quotes at most a short piece of the input");
        }
    }

    private static (string File, byte[] Bytes) Build(string name)
    {
        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        switch (name)
        {
            case "0-byte":
                return ("lab/empty.csv", []);
            case "binary":
                return ("lab/random.bin", [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 256))]);
            case "zip":
                return ("lab/results.zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, .. Enumerable.Repeat((byte)0x33, 200)]);
            case "utf16-csv":
                return ("lab/utf16.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes($"{Header}\r\n{ValidRow}\r\n")]);
            case "10MB-single-line":
                return ("lab/one-line.csv", Utf8(Header + "," + new string('x', 10_000_000)));
            case "json-nested-10000":
                return ("lab/nested.json", Utf8(new string('[', 10_000) + new string(']', 10_000)));
            case "hl7-50000-obx":
                {
                    var hl7 = new StringBuilder("MSH|^~\\&|LIS|LAB|CARTLAB|HOSP|20241127153000+0100||ORU^R01^ORU_R01|M1|P|2.5.1\rPID|1||PT-BAD-1^^^HOSP^MR\rOBR|1|||IGG^IgG^L|||20241126080000+0100\r");
                    for (var i = 1; i <= 50_000; i++)
                    {
                        hl7.Append(System.Globalization.CultureInfo.InvariantCulture, $"OBX|{i}|NM|2465-3^IgG^LN||{200 + (i % 300)}|mg/dL|||||F|||20241126080000+0100\r");
                    }

                    return ("lab/many-obx.hl7", Utf8(hl7.ToString()));
                }

            case "fhir-bundle":
                {
                    var json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
                    for (var i = 0; i < s_bundleEntries; i++)
                    {
                        json.Append(i == 0 ? "" : ",").Append(System.Globalization.CultureInfo.InvariantCulture,
                            $"{{\"resource\":{{\"resourceType\":\"Observation\",\"id\":\"o{i}\",\"status\":\"final\",\"code\":{{\"coding\":[{{\"system\":\"http://loinc.org\",\"code\":\"2465-3\"}}]}},\"subject\":{{\"identifier\":{{\"type\":{{\"coding\":[{{\"code\":\"MR\"}}]}},\"value\":\"PT-BAD-1\"}}}},\"effectiveDateTime\":\"2024-09-{1 + (i % 28):D2}T08:00:00+02:00\",\"valueQuantity\":{{\"value\":{200 + (i % 300)},\"unit\":\"mg/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"}}}}}}");
                    }

                    return ("lab/big-bundle.json", Utf8(json.Append("]}").ToString()));
                }

            case "csv-many-rows":
                {
                    // One result a second from 2024-08-28 (a million end 11.6 days later); a negative count in four rows.
                    var csv = new StringBuilder(Header).Append('\n');
                    var start = new DateTimeOffset(2024, 8, 28, 8, 0, 0, TimeSpan.FromHours(2));
                    for (var i = 0; i < s_csvRows; i++)
                    {
                        var bad = i % (s_csvRows / 4) == s_csvRows / 8;
                        csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                            $"PT-BAD-1,{start.AddSeconds(i):yyyy-MM-ddTHH:mm:sszzz},{(bad ? "plt,-25,10^9/L,blood" : $"igg,{200 + (i % 300)},mg/dL,serum")},ACC-R{i}\n");
                    }

                    return ("lab/many-rows.csv", Utf8(csv.ToString()));
                }

            case "patient-dotdot":
                return ("lab/dotdot.csv", Utf8($"{Header}\n../../etc/passwd,2024-09-24T08:00:00+02:00,igg,250,mg/dL,serum,ACC-2\n{ValidRow}\n"));
            case "patient-control-chars":
                return ("lab/control.csv", Utf8($"{Header}\nPT-\u0001BAD\u0007,2024-09-24T08:00:00+02:00,igg,250,mg/dL,serum,ACC-3\n{ValidRow}\n"));
            case "year-1850":
                return ("lab/y1850.csv", Utf8($"{Header}\nPT-BAD-1,1850-09-24T08:00:00+02:00,igg,250,mg/dL,serum,ACC-4\n{ValidRow}\n"));
            case "year-2099":
                return ("lab/y2099.csv", Utf8($"{Header}\nPT-BAD-1,2099-09-24T08:00:00+02:00,igg,250,mg/dL,serum,ACC-5\n{ValidRow}\n"));
            case "negative-count":
                return ("lab/negative.csv", Utf8($"{Header}\nPT-BAD-1,2024-09-24T08:00:00+02:00,plt,-25,10^9/L,blood,ACC-6\n{ValidRow}\n"));
            case "csv-formula":
                return ("lab/formula.csv", Utf8($"{Header}\nPT-BAD-1,2024-09-24T08:00:00+02:00,igg,250,mg/dL,=cmd|' /C calc'!A0,ACC-7\n{ValidRow}\n"));
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    private sealed class BytesSource(string name, byte[] bytes) : ILabFileSource
    {
        public string Name => name;

        public string? ETag => "0x8DC00000000000BB";

        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }
}
