using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Ingestion.Fhir;
using CarTLabPipeline.Ingestion.Hl7;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Core.Tests;

/// <summary>The parser ingestion runs (detection + reader + normaliser), without storage.</summary>
internal static class IngestionHarness
{
    /// <summary>The parser with every reader, as the hosts register it; the clock stands at <see cref="TestData.Now"/>.</summary>
    public static LabFileParser Parser(IngestionOptions? options = null)
    {
        var o = Options.Create(options ?? new IngestionOptions());
        ILabFileReader[] readers = [new CsvLabReader(), new Hl7OruReader(o), new FhirLabReader(o)];
        return new LabFileParser(readers, new ResultNormalizer(o, new FakeTimeProvider(TestData.Now)), new FakeTimeProvider(TestData.Now));
    }

    /// <exception cref="LabFileFormatException">The file as a whole cannot be read (as ingestion would reject it).</exception>
    public static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) Ingest(Stream content, string name = "lab/file",
        IngestionOptions? options = null)
    {
        using var file = Parser(options).Open(content, name, receivedAt: null, CancellationToken.None);
        var stored = new List<LabResult>();
        var errors = new List<IngestionError>();
        var skipped = 0;
        foreach (var item in file.Items)
        {
            if (item.Result is { } result)
            {
                stored.Add(result);
            }
            else if (item.Error is { } error)
            {
                errors.Add(error);
            }
            else
            {
                skipped++;
            }
        }

        return (stored, errors, skipped, file.Format);
    }

    public static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) IngestFile(params string[] path) =>
        Ingest(File.OpenRead(Path.Combine([AppContext.BaseDirectory, "Data", .. path])), "lab/" + path[^1]);

    public static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) IngestText(string text, string name = "lab/file") =>
        Ingest(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), name);
}
