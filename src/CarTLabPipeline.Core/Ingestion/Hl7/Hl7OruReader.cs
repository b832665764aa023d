using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion.Hl7;

/// <summary>
/// Reads HL7 v2 ORU^R01 files: one or many messages, CR/LF/CRLF segment ends, MLLP framing bytes and FHS/BHS batch
/// envelopes tolerated, delimiters from each MSH. Per result: PID-3 patient id (an identifier typed MR, PI or PT, or of
/// an assigning authority configured for the lab — never SSN, passport, licence or insurance numbers), OBX-3 LOINC (kept
/// as received) or a configured local code, OBX-5 by value type (NM, SN, ST/TX/FT, CE/CWE), OBX-6 units, OBX-8 abnormal
/// flags (MRD: POS/DET/A = detected, NEG/ND = not detected), OBX-11 status, OBX-14 (else OBR-7) collection time (a
/// withdrawal — X, D, W — with an order number and neither: MSH-7, marked as a message time), NTE
/// comments (an MRD sensitivity stated there is used), SPM-4 specimen, and the lab's identity filler order number + OBX-3
/// + OBX-4. Results of analytes we do not follow, of unmapped local codes and of messages that are not results (ADT, ORM)
/// are skipped by reason, not errors.
/// </summary>
public sealed class Hl7OruReader(IOptions<IngestionOptions> options) : ILabFileReader
{
    /// <summary>SNOMED CT codes for qualitative MRD statements.</summary>
    private const string SnomedNotDetected = "260415000";
    private const string SnomedDetected = "260373001";

    private static readonly char[] s_framing = ['\v', '\u001c', '\u001d'];

    public LabFileFormat Format => LabFileFormat.Hl7v2;

    public IEnumerable<ReadItem> Read(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var text = new StreamReader(content, new System.Text.UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        Message? message = null;
        var line = 0;
        var sawMessage = false;
        while (text.ReadLine() is { } raw)
        {
            cancellationToken.ThrowIfCancellationRequested();
            line++;
            var segmentText = raw.Trim(s_framing).TrimEnd();
            if (segmentText.Length == 0)
            {
                continue;
            }

            var name = segmentText.Length >= 3 ? segmentText[..3] : segmentText;
            if (name is "FHS" or "BHS" or "BTS" or "FTS")
            {
                continue; // batch envelope
            }

            if (name == "MSH")
            {
                if (message is not null)
                {
                    foreach (var item in message.Finish())
                    {
                        yield return item;
                    }
                }

                var delimiters = Hl7Delimiters.FromMsh(segmentText);
                if (delimiters is null)
                {
                    message = null;
                    yield return ReadItem.Fail(new IngestionError(line, "MSH", "MSH-2", "the MSH segment does not declare its delimiters (MSH-1/MSH-2)"));
                    continue;
                }

                sawMessage = true;
                message = new Message(new Hl7Segment(segmentText, delimiters, line), options.Value, LabFolder(fileName));
                foreach (var item in message.Start())
                {
                    yield return item;
                }

                continue;
            }

            if (message is null)
            {
                if (!sawMessage)
                {
                    throw new LabFileFormatException(fileName, new IngestionError(line, name, null, "not an HL7 v2 message: the first segment must be MSH"));
                }

                continue; // segments of a message whose MSH was unreadable: reported once above
            }

            foreach (var item in message.Add(new Hl7Segment(segmentText, message.Delimiters, line)))
            {
                yield return item;
            }
        }

        if (message is not null)
        {
            foreach (var item in message.Finish())
            {
                yield return item;
            }
        }

        if (!sawMessage)
        {
            throw new LabFileFormatException(fileName, new IngestionError(null, null, null, "the file holds no HL7 message"));
        }
    }

    /// <summary>The lab folder of a drop-zone name (<c>{lab}/{file}</c>), used to choose a local code map.</summary>
    private static string? LabFolder(string fileName) => fileName.Contains('/', StringComparison.Ordinal) ? fileName.Split('/')[0] : null;

    /// <summary>One message being read: its header, patient, current order group and pending results.</summary>
    private sealed class Message(Hl7Segment msh, IngestionOptions options, string? labFolder)
    {
        /// <summary>PID-3 identifier types (HL7 table 0203) that identify a patient in a hospital, in order of preference.</summary>
        private static readonly string[] s_patientTypes = ["MR", "PI", "PT"];

        private readonly string _controlId = msh.Get(10);
        private readonly string _facility = msh.Get(4);
        private readonly string _messageTime = msh.Get(7);
        private readonly ResolvedLabConventions _lab = options.ConventionsFor(labFolder, msh.Get(4) is { Length: > 0 } f ? f : null);
        private readonly List<Pending> _group = [];
        private string? _patientId;
        private IngestionError? _patientError = new(msh.Line, "PID", "PID-3", "the message has no PID segment with a patient id (PID-3)");
        private int _unread;
        private string? _notAResult;
        private Hl7Segment? _obr;
        private string? _filler;
        private string? _orcFiller;

        public Hl7Delimiters Delimiters { get; } = msh.Delimiters;

        /// <summary>Checks the message type: a message that is not ORU^R01 is skipped whole, once.</summary>
        public IEnumerable<ReadItem> Start()
        {
            var type = msh.Get(9, 1) + "^" + msh.Get(9, 2);
            if (type != "ORU^R01")
            {
                _notAResult = type.Trim('^');
                yield return ReadItem.Skip(SkipKind.NotAResultMessage, _notAResult.Length > 0 ? _notAResult : "(no MSH-9)", $"message {_controlId}");
            }
        }

        public IEnumerable<ReadItem> Add(Hl7Segment segment)
        {
            if (_notAResult is not null)
            {
                yield break;
            }

            switch (segment.Name)
            {
                case "PID":
                    (_patientId, _patientError) = PatientId(segment);
                    break;
                case "ORC":
                    _orcFiller = segment.Get(3) is { Length: > 0 } orcFiller ? orcFiller : null;
                    _filler = _orcFiller;
                    break;
                case "OBR":
                    foreach (var item in Flush())
                    {
                        yield return item;
                    }

                    _obr = segment;

                    // The lab's order number: filler (OBR-3), else the order's filler (ORC-3), else the placer's (OBR-2).
                    _filler = segment.Get(3) is { Length: > 0 } f ? f : _orcFiller ?? (segment.Get(2) is { Length: > 0 } placer ? placer : null);
                    break;
                case "OBX":
                    _group.Add(new Pending(segment, _obr, _filler));
                    break;
                case "NTE" when _group.Count > 0:
                    _group[^1].Notes.Add(segment.Get(3));
                    break;
                case "SPM":
                    foreach (var p in _group)
                    {
                        p.Specimen ??= segment.Get(4, 2) is { Length: > 0 } text ? text : segment.Get(4);
                    }

                    break;
                default:
                    break;
            }
        }

        /// <summary>
        /// The rest of the message; when it had no usable patient, one error for all its results of followed analytes (a
        /// message is one patient: one reason, not one per order).
        /// </summary>
        public IEnumerable<ReadItem> Finish()
        {
            foreach (var item in Flush())
            {
                yield return item;
            }

            if (_unread > 0 && _patientError is not null)
            {
                yield return ReadItem.Fail(_patientError with { Reason = $"{_patientError.Reason}; its {_unread} result(s) of followed analytes were not read" });
            }
        }

        private IEnumerable<ReadItem> Flush()
        {
            var pending = _group.ToList();
            _group.Clear();
            foreach (var p in pending)
            {
                var item = ToItem(p);
                if (item.Result is not null && _patientError is not null)
                {
                    _unread++;
                    continue;
                }

                yield return item;
            }
        }

        private (string?, IngestionError?) PatientId(Hl7Segment pid)
        {
            // A hospital identifier: typed MR, PI or PT (in that order), else of an assigning authority configured for the
            // lab. Never the name, and never an identifier of another type (SS, PPN, DL, insurance numbers…).
            var repetitions = pid.Repetitions(3).Where(r => pid.Component(r, 1).Length > 0).ToList();
            if (repetitions.Count == 0)
            {
                return (null, new IngestionError(pid.Line, "PID", "PID-3", "PID-3 holds no patient identifier"));
            }

            var chosen = s_patientTypes.Select(t => repetitions.FirstOrDefault(r => string.Equals(pid.Component(r, 5), t, StringComparison.OrdinalIgnoreCase)))
                .FirstOrDefault(r => r is not null)
                ?? repetitions.FirstOrDefault(r => pid.Component(r, 4) is { Length: > 0 } authority &&
                    _lab.PatientIdSystems.Contains(authority.Split(Delimiters.SubComponent)[0], StringComparer.OrdinalIgnoreCase));
            if (chosen is not null)
            {
                return (pid.Component(chosen, 1), null);
            }

            var seen = string.Join(", ", repetitions.Select(r => (Type: pid.Component(r, 5), Authority: pid.Component(r, 4)))
                .Select(x => x.Type.Length > 0 ? $"type {x.Type}" : x.Authority.Length > 0 ? $"authority {x.Authority.Split(Delimiters.SubComponent)[0]} without a type" : "no type or authority")
                .Distinct());
            return (null, new IngestionError(pid.Line, "PID", "PID-3",
                $"PID-3 has no hospital patient identifier (CX-5 type MR, PI or PT; found {seen}); identifiers such as social security, passport, licence or insurance numbers are never used. " +
                $"If the lab's record numbers come with an assigning authority but no type, accept it with {_lab.Setting("PatientIdSystems")}__0=<CX-4 authority>"));
        }

        private ReadItem ToItem(Pending p)
        {
            var obx = p.Obx;
            var setId = obx.Get(1);
            var label = $"OBX[{(setId.Length > 0 ? setId : "?")}] of message {_controlId}";
            IngestionError Fail(string field, string reason) => new(obx.Line, label, field, reason);

            var system = obx.Get(3, 3);
            var loinc = system is "LN" or "LOINC" or "" ? obx.Get(3, 1) : string.Empty;
            var keyword = Resolve(loinc, obx);
            if (keyword is null)
            {
                // A LOINC code we do not follow, or a local code that no LocalCodes entry maps (it may be ours).
                return system is "LN" or "LOINC" || (system.Length == 0 && obx.Get(3, 4).Length == 0 && LooksLikeLoinc(obx.Get(3, 1)))
                    ? ReadItem.Skip(SkipKind.NotFollowed, obx.Get(3, 4) is { Length: > 0 } named ? named : obx.Get(3, 1), label)
                    : ReadItem.Skip(SkipKind.UnmappedLocalCode, obx.Get(3, 4) is { Length: > 0 } local && system is "LN" or "LOINC" ? local : obx.Get(3, 1), label);
            }

            var status = obx.Get(11).ToUpperInvariant();
            if (status is "I" or "R" or "S" or "N" or "O" or "U")
            {
                return ReadItem.Skip(SkipKind.NoResultYet, status, label);
            }

            var (value, error) = Value(obx);
            if (error is not null)
            {
                return ReadItem.Fail(Fail("OBX-5", error));
            }

            var time = obx.Get(14) is { Length: > 0 } t ? t : p.Obr?.Get(7) ?? string.Empty;
            var messageTime = false;
            if (time.Length == 0 && status is "X" or "D" or "W")
            {
                // A withdrawal needs no collection time when it names the result (the order number): the message's time
                // dates it, marked as such, and the result keeps the collection time it had.
                if (p.Filler is null)
                {
                    return ReadItem.Fail(Fail("OBR-3", "a cancellation without a collection time (OBX-14, OBR-7) needs the lab's order number (OBR-3, ORC-3 or OBR-2) to say which result it withdraws"));
                }

                (time, messageTime) = (_messageTime, true);
            }

            if (!Hl7Timestamp.TryToIso(time, out var iso))
            {
                return ReadItem.Fail(Fail(messageTime ? "MSH-7" : obx.Get(14).Length > 0 ? "OBX-14" : "OBR-7",
                    time.Length == 0 ? messageTime ? "no collection time (OBX-14, OBR-7) nor message time (MSH-7)" : "no collection time (OBX-14 or OBR-7)"
                    : $"{(messageTime ? "message" : "collection")} time '{IngestionError.Quote(time)}' is not an HL7 timestamp"));
            }

            // The version's own time: OBX-19 (analysis), else the message's (MSH-7).
            var reported = obx.Get(19) is { Length: > 0 } analysed ? analysed : _messageTime;
            string? reportedIso = null;
            if (reported.Length > 0 && !Hl7Timestamp.TryToIso(reported, out reportedIso))
            {
                return ReadItem.Fail(Fail(obx.Get(19).Length > 0 ? "OBX-19" : "MSH-7", $"message time '{IngestionError.Quote(reported)}' is not an HL7 timestamp"));
            }

            var notes = string.Join(" ", p.Notes);
            return ReadItem.Of(new RawResult
            {
                PatientId = _patientId!,
                AnalyteCode = keyword,
                ValueText = value,
                Unit = obx.Get(6),
                CollectedAtText = iso,
                CollectedAtIsMessageTime = messageTime,
                StatusText = status.Length == 0 ? "F" : status,
                Specimen = p.Specimen,
                Method = obx.Get(17) is { Length: > 0 } m ? m : null,
                Lab = obx.Get(23) is { Length: > 0 } lab ? lab : _facility,
                SendingFacility = _facility.Length > 0 ? _facility : null,
                Loinc = loinc.Length > 0 && (system is "LN" or "LOINC" || AnalyteCatalog.TryResolveLoinc(loinc, out _)) ? loinc : null,
                Interpretation = keyword == "mrd" ? Interpretation(obx.Get(8)) : null,
                Accession = p.Filler,
                SubId = obx.Get(4) is { Length: > 0 } subId ? subId : null,
                ReportedAtText = reportedIso,
                SensitivityText = keyword == "mrd" ? ValueParser.FindSensitivity(notes) : null,
                Line = obx.Line,
                Segment = label,
            });
        }

        /// <summary>LOINC first (default and alternate codes), then the local code maps of this lab and the default one.</summary>
        private string? Resolve(string loinc, Hl7Segment obx)
        {
            if (loinc.Length > 0 && AnalyteCatalog.TryResolveLoinc(loinc, out var info))
            {
                return info.Keyword;
            }

            foreach (var code in new[] { obx.Get(3, 1), obx.Get(3, 4) }.Where(c => c.Length > 0))
            {
                if (_lab.LocalCodes.TryGetValue(code, out var keyword) && AnalyteCatalog.TryResolve(keyword, out var mapped))
                {
                    return mapped.Keyword;
                }
            }

            return null;
        }

        /// <summary>OBX-8 abnormal flags (table 0078 and the spellings labs use) as an MRD finding: detected, not detected, or unstated.</summary>
        private static bool? Interpretation(string flags) => flags.Trim().ToUpperInvariant() switch
        {
            "A" or "AA" or "POS" or "DET" or "DETECTED" or "POSITIVE" => true,
            "NEG" or "ND" or "NEGATIVE" or "NOT DETECTED" => false,
            _ => null,
        };

        /// <summary><c>26464-8</c>: digits, a dash and a check digit.</summary>
        private static bool LooksLikeLoinc(string code) =>
            code.Length is >= 3 and <= 10 && code[^2] == '-' && char.IsAsciiDigit(code[^1]) && code[..^2].All(char.IsAsciiDigit);

        private static (string Value, string? Error) Value(Hl7Segment obx)
        {
            var type = obx.Get(2).ToUpperInvariant();
            var status = obx.Get(11).ToUpperInvariant();
            if (obx.Raw(5).Length == 0)
            {
                return status is "X" or "D" or "W" ? (string.Empty, null) : (string.Empty, "empty value (OBX-5)");
            }

            switch (type)
            {
                case "SN":
                    var (comparator, number, separator) = (obx.Get(5, 1), obx.Get(5, 2), obx.Get(5, 3));
                    return separator.Length > 0
                        ? (string.Empty, $"structured numeric range '{obx.Raw(5)}' is not a single value")
                        : (comparator + number, null);
                case "CE" or "CWE" or "CNE":
                    return obx.Get(5, 1) switch
                    {
                        SnomedNotDetected => ("not detected", null),
                        SnomedDetected => ("detected", null),
                        _ => (obx.Get(5, 2) is { Length: > 0 } text ? text : obx.Get(5, 1), null),
                    };
                default: // NM, ST, TX, FT and unknown types: the text, which the normaliser reads
                    return (obx.Get(5), null);
            }
        }
    }

    private sealed class Pending(Hl7Segment obx, Hl7Segment? obr, string? filler)
    {
        public Hl7Segment Obx { get; } = obx;

        public Hl7Segment? Obr { get; } = obr;

        public string? Filler { get; } = filler;

        public List<string> Notes { get; } = [];

        public string? Specimen { get; set; }
    }
}
