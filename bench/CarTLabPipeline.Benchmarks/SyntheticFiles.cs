using System.Globalization;
using System.Text;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Benchmarks;

/// <summary>Large synthetic lab files of each format, from the synthetic cohort (patients of 200 results each).</summary>
public static class SyntheticFiles
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static IEnumerable<LabResult> Results(int count)
    {
        for (var p = 0; p * 200 < count; p++)
        {
            foreach (var r in SyntheticCohort.History($"PT-{p:D5}", Math.Min(200, count - (p * 200)), seed: p, HistoryProfile.Typical))
            {
                yield return r;
            }
        }
    }

    public static byte[] Csv(int count) => Csv(Results(count));

    public static byte[] Csv(IEnumerable<LabResult> results)
    {
        using var buffer = new MemoryStream();
        WriteCsv(buffer, results);
        return buffer.ToArray();
    }

    /// <summary>
    /// Streams a CSV of <paramref name="results"/> to <paramref name="output"/> (no whole-file buffer: 100 MB files), until
    /// <paramref name="maxBytes"/> when given. <paramref name="wide"/> fills every optional column the way LIS exports do.
    /// </summary>
    /// <returns>The number of results written.</returns>
    public static int WriteCsv(Stream output, IEnumerable<LabResult> results, long maxBytes = long.MaxValue, bool wide = false)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(wide
            ? "patient_id,collected_at,analyte,value,unit,specimen,method,status,lab,accession\n"
            : "patient_id,collected_at,analyte,value,unit,specimen,status,lab,accession\n");
        var i = 0;
        foreach (var r in results)
        {
            writer.Write(wide
                ? string.Create(s_inv, $"{r.PatientId},{r.CollectedAt:yyyy-MM-ddTHH:mm:sszzz},{AnalyteCatalog.Get(r.Analyte).Keyword},{r.Comparator}{r.Value},{r.Unit},peripheral blood,automated analyser (flow cytometry / haematology),final,HOSPITAL-CENTRAL-LABORATORY,CL-{r.CollectedAt:yyyyMMdd}-{i++:D8}\n")
                : string.Create(s_inv, $"{r.PatientId},{r.CollectedAt:yyyy-MM-ddTHH:mm:sszzz},{AnalyteCatalog.Get(r.Analyte).Keyword},{r.Comparator}{r.Value},{r.Unit},blood,final,HOSP,ACC{i++}\n"));
            if (i % 1000 == 0 && maxBytes != long.MaxValue)
            {
                writer.Flush();
                if (output.Position >= maxBytes)
                {
                    break;
                }
            }
        }

        return i;
    }

    /// <summary>One ORU^R01 per patient and day, with ORC/OBR/OBX/SPM as a LIS sends them.</summary>
    public static byte[] Hl7(int count) => Hl7(Results(count));

    public static byte[] Hl7(IEnumerable<LabResult> results)
    {
        using var buffer = new MemoryStream();
        WriteHl7(buffer, results);
        return buffer.ToArray();
    }

    /// <summary>Streams ORU^R01 messages, one per patient and day (consecutive results of a patient-day form one message).</summary>
    /// <returns>The number of results written.</returns>
    public static int WriteHl7(Stream output, IEnumerable<LabResult> results, long maxBytes = long.MaxValue)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        var m = 0;
        var written = 0;
        foreach (var group in Consecutive(results))
        {
            var sb = new StringBuilder();
            var first = group.First();
            sb.Append(string.Create(s_inv, $"MSH|^~\\&|LIS|HOSP|CARTLAB|HOSP|{first.CollectedAt:yyyyMMddHHmmsszzz}||ORU^R01^ORU_R01|MSG{m}|P|2.5.1\r"));
            sb.Append(s_inv, $"PID|1||{first.PatientId}^^^HOSP^MR||SYNTHETIC^PATIENT||19570101|F\rORC|RE|PLC{m}|FIL{m}\r");
            sb.Append(string.Create(s_inv, $"OBR|1|PLC{m}|FIL{m}|PANEL^Panel^L|||{first.CollectedAt:yyyyMMddHHmmsszzz}|||||||||||||||||||F\r"));
            var n = 1;
            foreach (var r in group)
            {
                var info = AnalyteCatalog.Get(r.Analyte);
                var value = r.Comparator is null
                    ? string.Create(s_inv, $"NM|{info.Loinc}^{info.DisplayName}^LN||{r.Value}")
                    : string.Create(s_inv, $"SN|{info.Loinc}^{info.DisplayName}^LN||{r.Comparator}^{r.Value}");
                sb.Append(s_inv, $"OBX|{n++}|{value}|{r.Unit}^^UCUM|||||F|||{r.CollectedAt:yyyyMMddHHmmsszzz}\r");
            }

            sb.Append("SPM|1|||BLD^Blood^HL70487\r\n");
            m++;

            // HL7 timestamps carry the offset without a colon.
            writer.Write(sb.Replace("+02:00", "+0200").Replace("+01:00", "+0100").ToString());
            written += group.Count;
            if (m % 100 == 0 && maxBytes != long.MaxValue)
            {
                writer.Flush();
                if (output.Position >= maxBytes)
                {
                    break;
                }
            }
        }

        return written;
    }

    private static IEnumerable<List<LabResult>> Consecutive(IEnumerable<LabResult> results)
    {
        List<LabResult>? group = null;
        foreach (var r in results)
        {
            if (group is not null && (group[0].PatientId != r.PatientId || group[0].CollectedAt.Date != r.CollectedAt.Date))
            {
                yield return group;
                group = null;
            }

            (group ??= []).Add(r);
        }

        if (group is not null)
        {
            yield return group;
        }
    }

    /// <summary>One collection Bundle of Observations with their Patients.</summary>
    public static byte[] Fhir(int count) => Fhir(Results(count));

    public static byte[] Fhir(IEnumerable<LabResult> results)
    {
        var sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
        var patients = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        foreach (var r in results)
        {
            if (patients.Add(r.PatientId))
            {
                sb.Append(first ? string.Empty : ",").Append(s_inv,
                    $"{{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-{patients.Count:D12}\",\"resource\":{{\"resourceType\":\"Patient\",\"identifier\":[{{\"type\":{{\"coding\":[{{\"code\":\"MR\"}}]}},\"value\":\"{r.PatientId}\"}}]}}}}");
                first = false;
            }

            var comparator = r.Comparator is null ? string.Empty : $"\"comparator\":\"{r.Comparator}\",";
            sb.Append(s_inv, $",{{\"resource\":{{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{{\"coding\":[{{\"system\":\"http://loinc.org\",\"code\":\"{r.Loinc}\"}}]}}," +
                $"\"subject\":{{\"reference\":\"urn:uuid:00000000-0000-4000-8000-{patients.Count:D12}\"}},\"effectiveDateTime\":\"{r.CollectedAt:yyyy-MM-ddTHH:mm:sszzz}\"," +
                $"\"valueQuantity\":{{{comparator}\"value\":{r.Value},\"system\":\"http://unitsofmeasure.org\",\"code\":\"{r.Unit}\"}}}}}}");
        }

        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }
}
