using System.Globalization;
using System.Text.Json;
using CarTLabPipeline.Domain;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion.Fhir;

/// <summary>
/// Reads FHIR R4 JSON with the Firely SDK: a Bundle (transaction, batch, collection, searchset) of Observations, or a
/// single Observation. The subject is resolved to a hospital patient identifier (of a Patient in the Bundle or contained,
/// or the reference's logical identifier: <c>identifier.type</c> MR, PI or PT, or a <c>system</c> configured for the lab;
/// never SSN, passport, licence or insurance numbers), else the id of a <c>Patient/{id}</c> reference whose resource the
/// file does not hold; <c>valueQuantity</c> with its comparator, <c>valueString</c>, <c>valueCodeableConcept</c> (SNOMED
/// detected / not detected); <c>interpretation</c> (MRD: POS/DET/A detected, NEG/ND not detected); <c>status</c>;
/// <c>effectiveDateTime</c> or <c>effectivePeriod.start</c>, else the <c>effective[x]</c> of the DiagnosticReport that
/// lists the Observation (<c>issued</c> is never a collection time: it only dates a withdrawal that sent none and names
/// the result, marked as a message time); a component or note stating the achieved
/// sensitivity. Deserialization is recoverable: unknown elements are tolerated, and an Observation that cannot be read is
/// one row error.
/// </summary>
public sealed class FhirLabReader(IOptions<IngestionOptions> options) : ILabFileReader
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string SnomedNotDetected = "260415000";
    private const string SnomedDetected = "260373001";

    /// <summary>The largest FHIR document read (a Bundle is read one entry at a time, but twice: it is spooled first).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    private static readonly FhirJsonDeserializer s_deserializer = new(new DeserializerSettings
    {
        AcceptUnknownMembers = true,
        AllowUnrecognizedEnums = true,
    });

    public LabFileFormat Format => LabFileFormat.FhirJson;

    public IEnumerable<ReadItem> Read(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lab = fileName.Contains('/', StringComparison.Ordinal) ? fileName.Split('/')[0] : null;
        var conventions = options.Value.ConventionsFor(lab, null);
        using var document = Spool(content, fileName);

        // First pass: the whole document's syntax, the root's resourceType, and what Observations refer to (Patients,
        // Specimens, DiagnosticReports: few); an Observation is not kept.
        var resolver = new Resolver();
        var rootType = Guard(fileName, () => ScanBundle(document, resolver, cancellationToken));
        if (rootType != "Bundle")
        {
            // A single resource: parsed whole, as it is small (a Bundle is the only large FHIR document a lab sends).
            document.Position = 0;
            var resource = Parse(document, fileName);
            if (resource is not Observation single)
            {
                throw new LabFileFormatException(fileName, new IngestionError(null, resource.TypeName, null,
                    $"a {resource.TypeName} is not lab results: expected a Bundle of Observations or an Observation"));
            }

            yield return Convert(single, "Observation", null, new Resolver(), lab, conventions);
            yield break;
        }

        // Second pass: one entry at a time, each Observation read, converted and let go.
        document.Position = 0;
        var cursor = new JsonStreamCursor(document, default);
        var index = -1;
        while (MoveToEntries(cursor))
        {
            while (cursor.ReadElement() is { } element)
            {
                cancellationToken.ThrowIfCancellationRequested();
                index++;
                var path = $"Bundle.entry[{index}]";
                if (PeekEntry(element.Span).Type != "Observation")
                {
                    continue;
                }

                ReadItem item;
                try
                {
                    var (fullUrl, resource) = ParseEntry(element.Span);
                    if (resource is not Observation observation)
                    {
                        continue;
                    }

                    item = Convert(observation, path, fullUrl, resolver, lab, conventions);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or OverflowException or JsonException)
                {
                    item = ReadItem.Fail(new IngestionError(null, path, null, $"unreadable Observation: {ex.Message}"));
                }

                yield return item;
            }
        }
    }

    private static ReadItem Convert(Observation observation, string path, string? fullUrl, Resolver resolver, string? lab, ResolvedLabConventions conventions)
    {
        try
        {
            return ToItem(observation, path, fullUrl, resolver, lab, conventions);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The SDK keeps invalid values in recoverable mode and throws when they are read: one row error, not a crash.
            return ReadItem.Fail(new IngestionError(null, path, null, $"unreadable Observation: {ex.Message}"));
        }
    }

    /// <summary>Largest document kept in memory while it is read twice; a larger one is spooled to a temporary file.</summary>
    private const int InMemoryBytes = 4 * 1024 * 1024;

    /// <summary>A seekable copy of the content (read twice: references first, then Observations), refused over <see cref="MaxBytes"/>.</summary>
    private static Stream Spool(Stream content, string fileName)
    {
        Stream copy = new MemoryStream();
        try
        {
            var chunk = new byte[81920];
            long total = 0;
            int n;
            while ((n = content.Read(chunk, 0, chunk.Length)) > 0)
            {
                total += n;
                if (total > MaxBytes)
                {
                    throw new LabFileFormatException(fileName, new IngestionError(null, null, null, $"the FHIR document is larger than {MaxBytes / 1024 / 1024} MB"));
                }

                if (copy is MemoryStream memory && total > InMemoryBytes)
                {
                    var file = new FileStream(Path.Combine(Path.GetTempPath(), $"cartlab-fhir-{Guid.NewGuid():N}.json"), FileMode.CreateNew, FileAccess.ReadWrite,
                        FileShare.None, 81920, FileOptions.DeleteOnClose);
                    memory.Position = 0;
                    memory.CopyTo(file);
                    memory.Dispose();
                    copy = file;
                }

                copy.Write(chunk, 0, n);
            }

            copy.Position = 0;
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Reads the document once: checks its syntax, returns the root's resourceType and records every entry's references.</summary>
    private static string? ScanBundle(Stream document, Resolver resolver, CancellationToken cancellationToken)
    {
        var cursor = new JsonStreamCursor(document, default);
        if (!cursor.Read() || cursor.TokenType != JsonTokenType.StartObject)
        {
            cursor.SkipChildren();
            while (cursor.Read())
            {
                // Reads to the end: a syntax error anywhere is the file's.
            }

            return null;
        }

        string? rootType = null;
        while (cursor.Read() && cursor.TokenType == JsonTokenType.PropertyName)
        {
            var name = cursor.Text;
            if (name == "entry")
            {
                if (!cursor.Read())
                {
                    break;
                }

                if (cursor.TokenType != JsonTokenType.StartArray)
                {
                    cursor.SkipChildren();
                    continue;
                }

                while (cursor.ReadElement() is { } element)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (fullUrl, type, id) = PeekEntry(element.Span);
                    if (type == "Observation")
                    {
                        resolver.Shadow(fullUrl, id is null ? null : $"Observation/{id}");
                    }
                    else if (type is not null)
                    {
                        var (url, resource) = ParseEntry(element.Span);
                        resolver.Add(url, resource);
                    }
                }

                continue;
            }

            if (!cursor.Read())
            {
                break;
            }

            if (name == "resourceType" && cursor.TokenType == JsonTokenType.String)
            {
                rootType = cursor.Text;
            }

            cursor.SkipChildren();
        }

        while (cursor.Read())
        {
            // Whatever follows the root is read too, so that trailing garbage is an error as before.
        }

        return rootType;
    }

    /// <summary>Positions the cursor inside the root's next <c>entry</c> array; false when there is none.</summary>
    private static bool MoveToEntries(JsonStreamCursor cursor)
    {
        if (cursor.TokenType == JsonTokenType.None && (!cursor.Read() || cursor.TokenType != JsonTokenType.StartObject))
        {
            return false;
        }

        while (cursor.Read() && cursor.TokenType == JsonTokenType.PropertyName && cursor.Depth == 1)
        {
            var entries = cursor.Text == "entry";
            if (!cursor.Read())
            {
                return false;
            }

            if (entries && cursor.TokenType == JsonTokenType.StartArray)
            {
                return true;
            }

            cursor.SkipChildren();
        }

        return false;
    }

    /// <summary>An entry's <c>fullUrl</c> and its resource's <c>resourceType</c> and <c>id</c>, without reading the resource.</summary>
    private static (string? FullUrl, string? Type, string? Id) PeekEntry(ReadOnlySpan<byte> entry)
    {
        (string? Type, string? Id) peeked = default;
        var fullUrl = WalkEntry(entry, ref peeked, static (ref Utf8JsonReader reader, ref (string? Type, string? Id) peeked) =>
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("resourceType"u8);
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    peeked.Type = isType ? reader.GetString() : peeked.Type;
                    peeked.Id = isId ? reader.GetString() : peeked.Id;
                }

                reader.Skip();
            }
        });
        return (fullUrl, peeked.Type, peeked.Id);
    }

    /// <summary>An entry's <c>fullUrl</c> and its resource, deserialized (recoverable: a partly readable resource is kept).</summary>
    private static (string? FullUrl, Resource? Resource) ParseEntry(ReadOnlySpan<byte> entry)
    {
        Resource? resource = null;
        var fullUrl = WalkEntry(entry, ref resource, static (ref Utf8JsonReader reader, ref Resource? resource) =>
        {
            _ = s_deserializer.TryDeserializeResource(ref reader, out var parsed, out _);
            resource = parsed ?? resource;
            if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 1)
            {
                // The deserializer stops where it stops: go back to the entry's level.
                while (reader.CurrentDepth > 1 && reader.Read())
                {
                }
            }
        });
        return (fullUrl, resource);
    }

    /// <summary>Reads an entry's resource object: the reader is on its opening brace and is left on its closing brace (or deeper).</summary>
    private delegate void ResourceVisitor<TState>(ref Utf8JsonReader reader, ref TState state);

    /// <summary>
    /// The one walk over a Bundle entry (<see cref="PeekEntry"/>, <see cref="ParseEntry"/>): its <c>fullUrl</c> is returned, its
    /// <c>resource</c> object (when it is one) goes to <paramref name="visit"/>, anything else is skipped.
    /// </summary>
    private static string? WalkEntry<TState>(ReadOnlySpan<byte> entry, ref TState state, ResourceVisitor<TState> visit)
    {
        var reader = new Utf8JsonReader(entry);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? fullUrl = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("fullUrl"u8))
            {
                reader.Read();
                fullUrl = reader.TokenType == JsonTokenType.String ? reader.GetString() : fullUrl;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("resource"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                visit(ref reader, ref state);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return fullUrl;
    }

    /// <summary>Runs a pass over the document, turning what the JSON reader and the SDK throw into the file's rejection.</summary>
    private static T Guard<T>(string fileName, Func<T> pass)
    {
        try
        {
            return pass();
        }
        catch (JsonException ex)
        {
            throw new LabFileFormatException(fileName, new IngestionError((int?)ex.LineNumber + 1, null, null, $"malformed JSON: {ex.Message}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            // System.Text.Json and the SDK throw these for invalid UTF-8, bad numbers and impossible values.
            throw new LabFileFormatException(fileName, new IngestionError(null, null, null, $"unreadable FHIR JSON: {ex.Message}"));
        }
    }

    private static Resource Parse(Stream document, string fileName)
    {
        using var buffer = new MemoryStream();
        document.CopyTo(buffer);
        var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        try
        {
            if (s_deserializer.TryDeserializeResource(ref reader, out var resource, out var issues) || resource is not null)
            {
                return resource ?? throw new LabFileFormatException(fileName, new IngestionError(null, null, null, "the JSON holds no FHIR resource"));
            }

            var first = issues.FirstOrDefault();
            throw new LabFileFormatException(fileName, new IngestionError(null, null, null, $"not a FHIR R4 resource: {first?.Message ?? "unreadable JSON"}"));
        }
        catch (JsonException ex)
        {
            throw new LabFileFormatException(fileName, new IngestionError((int?)ex.LineNumber + 1, null, null, $"malformed JSON: {ex.Message}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            // System.Text.Json and the SDK throw these for invalid UTF-8, bad numbers and impossible values.
            throw new LabFileFormatException(fileName, new IngestionError(null, null, null, $"unreadable FHIR JSON: {ex.Message}"));
        }
    }

    private static ReadItem ToItem(Observation o, string path, string? fullUrl, Resolver resolver, string? lab, ResolvedLabConventions conventions)
    {
        IngestionError Fail(string field, string reason) => new(null, path, field, reason);

        var (keyword, loinc) = Resolve(o.Code, conventions);
        if (keyword is null)
        {
            var loincCode = o.Code?.Coding.FirstOrDefault(c => c.System == Loinc)?.Code;
            return loincCode is not null
                ? ReadItem.Skip(SkipKind.NotFollowed, loincCode, path)
                : ReadItem.Skip(SkipKind.UnmappedLocalCode, o.Code?.Coding.FirstOrDefault()?.Code ?? o.Code?.Text, path);
        }

        // The raw code: in recoverable mode an unknown code is kept, and the typed getter would throw.
        var code = o.StatusElement?.JsonValue as string;
        var status = code switch
        {
            "final" => "final",
            "amended" or "corrected" => "corrected",
            "preliminary" => "preliminary",
            "cancelled" or "entered-in-error" => "cancelled",
            "registered" or "unknown" => null,
            _ => "invalid",
        };
        if (status is null)
        {
            return ReadItem.Skip(SkipKind.NoResultYet, code, path);
        }

        if (status == "invalid")
        {
            return ReadItem.Fail(Fail("status", code is null ? "missing status" : $"unknown status '{code}'"));
        }

        var (patientId, patientProblem) = resolver.PatientId(o.Subject, o.Contained, conventions);
        if (patientId is null)
        {
            return ReadItem.Fail(Fail("subject", patientProblem ?? "the subject does not resolve to a patient identifier"));
        }

        var (value, unit, valueError) = Value(o.Value, status);
        var invariant = o.Value is Quantity;
        if (valueError is not null)
        {
            return ReadItem.Fail(Fail("value[x]", valueError));
        }

        // An identifier typed as the lab's order or accession number (v2-0203 FILL, ACSN) is the same identity HL7 and CSV
        // carry; any other identifier is the Observation's own.
        var accession = o.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.Value) && i.Type?.Coding.Any(c => c.Code is "FILL" or "ACSN") == true);
        var identifier = accession is null ? o.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.Value)) : null;

        // Its own time, else that of the DiagnosticReport listing it; never issued (the report's time, not the sample's) —
        // except for a withdrawal that names the result: it needs no collection time, and its issued dates it, marked as such.
        var effective = Effective(o.Effective) ?? resolver.ReportEffective(fullUrl, o.Id);
        var messageTime = false;
        if (string.IsNullOrEmpty(effective) && status == "cancelled")
        {
            if (accession is null && identifier is null && string.IsNullOrEmpty(o.Id))
            {
                return ReadItem.Fail(Fail("identifier", "a cancellation without a collection time (effective[x]) needs the lab's identifier of the result (Observation.identifier or id) to say which result it withdraws"));
            }

            (effective, messageTime) = (Text(o.IssuedElement) ?? resolver.ReportIssued(fullUrl, o.Id), true);
            if (string.IsNullOrEmpty(effective))
            {
                return ReadItem.Fail(Fail("effective[x]", "a cancellation with neither a collection time (effective[x]) nor a time it was issued (issued, of the Observation or of a DiagnosticReport listing it)"));
            }
        }

        if (string.IsNullOrEmpty(effective))
        {
            return ReadItem.Fail(Fail("effective[x]", "no collection time (effectiveDateTime or effectivePeriod.start, of the Observation or of a DiagnosticReport listing it)"));
        }
        return ReadItem.Of(new RawResult
        {
            PatientId = patientId,
            AnalyteCode = keyword,
            ValueText = value,
            Unit = unit,
            CollectedAtText = effective,
            CollectedAtIsMessageTime = messageTime,
            Loinc = loinc,
            InvariantNumber = invariant,
            Interpretation = keyword == "mrd" ? Interpretation(o.Interpretation) : null,
            StatusText = status,
            Specimen = resolver.Specimen(o.Specimen),
            Method = o.Method?.Text ?? o.Method?.Coding.FirstOrDefault()?.Display,
            Accession = accession?.Value,
            ExternalId = accession is not null ? null
                : identifier is not null ? $"{identifier.System}|{identifier.Value}"
                : !string.IsNullOrEmpty(o.Id) ? $"Observation/{o.Id}@{lab ?? "-"}" : null,
            ReportedAtText = Text(o.IssuedElement) ?? Text(o.Meta?.LastUpdatedElement),
            SensitivityText = keyword == "mrd" ? Sensitivity(o) : null,
            Segment = path,
        });
    }

    /// <summary>An instant as sent (in recoverable mode a malformed one is kept as text, and the typed getter would throw).</summary>
    private static string? Text(Instant? instant) => instant?.JsonValue switch
    {
        string s => s,
        DateTimeOffset d => d.ToString("o", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static (string? Keyword, string? Loinc) Resolve(CodeableConcept? code, ResolvedLabConventions lab)
    {
        var codings = code?.Coding ?? [];
        foreach (var coding in codings.Where(c => c.System == Loinc))
        {
            if (AnalyteCatalog.TryResolveLoinc(coding.Code ?? string.Empty, out var info))
            {
                return (info.Keyword, coding.Code!.Trim());
            }
        }

        foreach (var localCode in codings.Where(c => c.System != Loinc).Select(c => c.Code).OfType<string>())
        {
            if (lab.LocalCodes.TryGetValue(localCode, out var keyword) && AnalyteCatalog.TryResolve(keyword, out var mapped))
            {
                return (mapped.Keyword, codings.FirstOrDefault(c => c.System == Loinc)?.Code);
            }
        }

        return (null, null);
    }

    /// <summary>An <c>effective[x]</c> as sent (a date-only value stays a date).</summary>
    private static string? Effective(DataType? effective) => effective switch
    {
        FhirDateTime dt => dt.Value,
        Period p => p.Start,
        Instant i => i.Value?.ToString("o", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>FHIR interpretation (v3 ObservationInterpretation) as an MRD finding: detected, not detected, or unstated.</summary>
    private static bool? Interpretation(List<CodeableConcept> interpretation)
    {
        foreach (var code in interpretation.SelectMany(i => i.Coding).Select(c => c.Code?.ToUpperInvariant()))
        {
            switch (code)
            {
                case "POS" or "DET" or "A" or "AA":
                    return true;
                case "NEG" or "ND":
                    return false;
                default:
                    break;
            }
        }

        return null;
    }

    private static (string Value, string? Unit, string? Error) Value(DataType? value, string status)
    {
        switch (value)
        {
            case Quantity q when q.Value is { } number:
                var comparator = q.ComparatorElement?.JsonValue as string ?? string.Empty;
                if (comparator is not ("" or "<" or "<=" or ">=" or ">"))
                {
                    return (string.Empty, null, $"unknown comparator '{comparator}'");
                }
                var unit = !string.IsNullOrEmpty(q.Code) ? q.Code : q.Unit;
                return (comparator + number.ToString(CultureInfo.InvariantCulture), unit, null);
            case FhirString s when !string.IsNullOrWhiteSpace(s.Value):
                return (s.Value, null, null);
            case CodeableConcept cc:
                var snomed = cc.Coding.FirstOrDefault(c => c.System == Snomed)?.Code;
                return snomed switch
                {
                    SnomedNotDetected => ("not detected", null, null),
                    SnomedDetected => ("detected", null, null),
                    _ => (cc.Text ?? cc.Coding.FirstOrDefault()?.Display ?? string.Empty, null, null),
                };
            case null when status == "cancelled":
                return (string.Empty, null, null);
            case null:
                return (string.Empty, null, "no value (valueQuantity, valueString or valueCodeableConcept)");
            default:
                return (string.Empty, null, $"value of type {value.TypeName} is not a lab value");
        }
    }

    private static string? Sensitivity(Observation o)
    {
        foreach (var component in o.Component)
        {
            var names = component.Code?.Coding.Select(c => $"{c.Code} {c.Display}").Append(component.Code?.Text ?? string.Empty) ?? [];
            if (names.Any(n => n.Contains("sensitivity", StringComparison.OrdinalIgnoreCase) || n.Contains("LOD", StringComparison.Ordinal)) &&
                component.Value is Quantity { Value: { } v } q)
            {
                var text = v.ToString(CultureInfo.InvariantCulture);
                return q.Code == "%" || q.Unit == "%" ? text + "%" : text;
            }
        }

        return ValueParser.FindSensitivity(string.Join(" ", o.Note.Select(n => n.Text)));
    }

    /// <summary>Resolves references inside the Bundle (by fullUrl, <c>Type/id</c>) and to contained resources.</summary>
    private sealed class Resolver
    {
        private static readonly string[] s_patientTypes = ["MR", "PI", "PT"];
        private readonly Dictionary<string, Resource?> _byReference = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _reportTimes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _reportIssued = new(StringComparer.Ordinal);

        /// <summary>Records an entry's resource under its fullUrl and <c>Type/id</c> (a later entry under the same key wins).</summary>
        public void Add(string? fullUrl, Resource? resource)
        {
            if (resource is null)
            {
                return;
            }

            if (fullUrl is { } url)
            {
                _byReference[url] = resource;
            }

            if (resource.Id is { } id)
            {
                _byReference[$"{resource.TypeName}/{id}"] = resource;
            }

            if (resource is DiagnosticReport report)
            {
                var effective = Effective(report.Effective);
                var issued = Text(report.IssuedElement);
                foreach (var listed in report.Result.Select(x => x.Reference).OfType<string>())
                {
                    if (!string.IsNullOrEmpty(effective))
                    {
                        _reportTimes.TryAdd(listed, effective);
                    }

                    if (!string.IsNullOrEmpty(issued))
                    {
                        _reportIssued.TryAdd(listed, issued);
                    }
                }
            }
        }

        /// <summary>
        /// An Observation entry: it is not kept (no reference resolves to one usefully), but it hides an earlier entry
        /// recorded under the same key, as a later entry does.
        /// </summary>
        public void Shadow(string? fullUrl, string? typeAndId)
        {
            if (fullUrl is not null && _byReference.ContainsKey(fullUrl))
            {
                _byReference[fullUrl] = null;
            }

            if (typeAndId is not null && _byReference.ContainsKey(typeAndId))
            {
                _byReference[typeAndId] = null;
            }
        }

        /// <summary>
        /// The patient's hospital identifier, or null with the reason. A Patient (in the Bundle or contained) or a logical
        /// identifier must carry one typed MR, PI or PT, or of a system configured for the lab; a <c>Patient/{id}</c>
        /// reference whose resource the file does not hold gives its id.
        /// </summary>
        public (string? Id, string? Problem) PatientId(ResourceReference? subject, List<Resource> contained, ResolvedLabConventions lab)
        {
            if (subject is null)
            {
                return (null, null);
            }

            var target = subject.Reference is { } r
                ? r.StartsWith('#') ? contained.FirstOrDefault(c => c.Id == r[1..]) : _byReference.GetValueOrDefault(r)
                : null;
            if (target is Patient patient)
            {
                return Hospital(patient.Identifier, lab);
            }

            if (!string.IsNullOrEmpty(subject.Identifier?.Value))
            {
                return Hospital([subject.Identifier], lab);
            }

            return subject.Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal) ? (reference["Patient/".Length..], null) : (null, null);
        }

        private static (string? Id, string? Problem) Hospital(List<Identifier> identifiers, ResolvedLabConventions lab)
        {
            var usable = identifiers.Where(i => !string.IsNullOrEmpty(i.Value)).ToList();
            foreach (var type in s_patientTypes)
            {
                if (usable.FirstOrDefault(i => i.Type?.Coding.Any(c => string.Equals(c.Code, type, StringComparison.OrdinalIgnoreCase)) == true) is { } typed)
                {
                    return (typed.Value, null);
                }
            }

            if (usable.FirstOrDefault(i => i.System is { } system && lab.PatientIdSystems.Contains(system, StringComparer.OrdinalIgnoreCase)) is { } configured)
            {
                return (configured.Value, null);
            }

            var seen = usable.Count == 0 ? "none" : string.Join(", ", usable.Select(i =>
                i.Type?.Coding.FirstOrDefault()?.Code is { } t ? $"type {t}" : i.System is { } s ? $"system {s}" : "one without type or system").Distinct());
            return (null, $"the patient has no hospital identifier (identifier.type MR, PI or PT; found {seen}); social security, passport, licence or insurance numbers are never used. " +
                $"If the lab's record numbers have a system but no type, accept it with {lab.Setting("PatientIdSystems")}__0=<system>");
        }

        /// <summary>The <c>effective[x]</c> of the DiagnosticReport whose <c>result</c> lists the Observation, or null.</summary>
        public string? ReportEffective(string? fullUrl, string? id)
        {
            if (fullUrl is not null && _reportTimes.TryGetValue(fullUrl, out var byUrl))
            {
                return byUrl;
            }

            return id is not null && _reportTimes.TryGetValue($"Observation/{id}", out var byId) ? byId : null;
        }

        /// <summary>The <c>issued</c> of the DiagnosticReport whose <c>result</c> lists the Observation, or null (dates a withdrawal only).</summary>
        public string? ReportIssued(string? fullUrl, string? id) =>
            fullUrl is not null && _reportIssued.TryGetValue(fullUrl, out var byUrl) ? byUrl
            : id is not null && _reportIssued.TryGetValue($"Observation/{id}", out var byId) ? byId : null;

        public string? Specimen(ResourceReference? reference) =>
            reference?.Reference is { } r && _byReference.GetValueOrDefault(r) is Specimen s
                ? s.Type?.Text ?? s.Type?.Coding.FirstOrDefault()?.Display
                : reference?.Display;
    }
}
