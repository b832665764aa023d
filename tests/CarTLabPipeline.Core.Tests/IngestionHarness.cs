using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CarTLabPipeline.Ingestion.Fhir;
using CarTLabPipeline.Ingestion.Hl7;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests;

/// <summary>Detection + reader + normaliser, as ingestion runs them, without storage.</summary>
internal static class IngestionHarness
{
    public static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) Ingest(Stream content, string name = "lab/file",
        IngestionOptions? options = null)
    {
        var o = Options.Create(options ?? new IngestionOptions());
        ILabFileReader[] readers = [new CsvLabReader(), new Hl7OruReader(o), new FhirLabReader(o)];
        var (format, replay) = LabFileFormatDetector.Detect(content);
        var reader = readers.Single(r => r.Format == format);
        var normalizer = TestData.Normalizer();
        var stored = new List<LabResult>();
        var errors = new List<IngestionError>();
        var skipped = 0;
        foreach (var item in reader.Read(replay, name, CancellationToken.None))
        {
            if (item.Skipped is not null)
            {
                skipped++;
            }
            else if (item.Error is not null)
            {
                errors.Add(item.Error);
            }
            else if (normalizer.Normalize(item.Result!, name) is { Result: { } ok })
            {
                stored.Add(ok);
            }
            else
            {
                errors.Add(normalizer.Normalize(item.Result!, name).Error!);
            }
        }

        return (stored, errors, skipped, format);
    }

    public static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) IngestFile(params string[] path) =>
        Ingest(File.OpenRead(Path.Combine([AppContext.BaseDirectory, "Data", .. path])), "lab/" + path[^1]);

    public static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) IngestText(string text, string name = "lab/file") =>
        Ingest(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), name);
}
