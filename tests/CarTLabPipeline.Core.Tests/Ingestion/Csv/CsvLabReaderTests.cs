using System.Text;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Csv;
using CsCheck;

namespace CarTLabPipeline.Core.Tests.Ingestion.Csv;

public class CsvLabReaderTests
{
    private const string Header = "patient_id,collected_at,analyte,value,unit";

    private static List<ReadItem> Read(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bom)
        {
            bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        }

        return new CsvLabReader().Read(new MemoryStream(bytes), "test.csv", CancellationToken.None).ToList();
    }

    [Fact]
    public void Read_GoodRows_YieldsOneResultPerRowWithTheirLines()
    {
        var items = Read($"{Header}\nPT-1,2024-10-11T07:30:00+02:00,igg,250,mg/dL\nPT-1,2024-10-11T07:30:00+02:00,anc,1.2,10^9/L\n");

        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Null(i.Error));
        Assert.Equal(("PT-1", "igg", "250", "mg/dL", 2), (items[0].Result!.PatientId, items[0].Result!.AnalyteCode, items[0].Result!.ValueText, items[0].Result!.Unit, items[0].Result!.Line));
        Assert.Equal(3, items[1].Result!.Line);
    }

    [Fact]
    public void Read_RowMissingAField_ReportsThatLineAndGoesOn()
    {
        var items = Read($"{Header}\nPT-1,2024-10-11T07:30:00+02:00,igg,250,mg/dL\nPT-1,2024-10-11\nPT-2,2024-10-12T07:30:00+02:00,igg,310,mg/dL\n");

        Assert.Equal(3, items.Count);
        var error = Assert.Single(items, i => i.Error is not null).Error!;
        Assert.Equal(3, error.Line);
        Assert.Equal("analyte", error.Field);
        Assert.Equal("PT-2", items[2].Result!.PatientId);
    }

    [Fact]
    public void Read_UnquotedDecimalComma_RejectsTheRowNamingTheQuoting_NotAShiftedField()
    {
        var items = Read($"{Header},status\nPT-1,2024-10-11T07:30:00+02:00,igg,2,8,g/L,final\nPT-1,2024-10-12T07:30:00+02:00,igg,\"2,9\",g/L,final,,\n");

        var error = items[0].Error!;
        Assert.Equal((2, null), (error.Line, error.Field));
        Assert.Contains("7 fields, the header 6", error.Reason, StringComparison.Ordinal);
        Assert.Contains("must be quoted (e.g. \"2,8\")", error.Reason, StringComparison.Ordinal);
        Assert.Equal(("2,9", "final"), (items[1].Result!.ValueText, items[1].Result!.StatusText)); // quoted; empty trailing fields are fine
    }

    [Fact]
    public void Read_SemicolonSeparatorAndBom_AreRecognised()
    {
        var items = Read("patient_id;collected_at;analyte;value;unit\r\nPT-1;2024-10-11T07:30:00+02:00;mrd;<0,01;%\r\n", bom: true);

        var result = Assert.Single(items).Result!;
        Assert.Equal("PT-1", result.PatientId);
        Assert.Equal("<0,01", result.ValueText);
    }

    [Fact]
    public void Read_QuotedFields_KeepSeparatorsQuotesAndLineBreaks()
    {
        var items = Read($"{Header},method\nPT-1,2024-10-11T07:30:00+02:00,mrd,\"<0.01\",%,\"flow, \"\"CD19-independent\"\"\ngating\"\nPT-1,2024-10-12T07:30:00+02:00,igg,300,mg/dL,\n");

        Assert.Equal(2, items.Count);
        Assert.Equal("flow, \"CD19-independent\"\ngating", items[0].Result!.Method);
        Assert.Equal(4, items[1].Result!.Line); // the quoted line break moved the next record down one line
    }

    [Fact]
    public void Read_HeaderCaseAndExtraColumns_AreTolerated()
    {
        var items = Read("Patient_ID,Collected_At,ANALYTE,Value,Unit,comment\nPT-1,2024-10-11,igg,250,mg/dL,hello\n");

        Assert.Equal("igg", Assert.Single(items).Result!.AnalyteCode);
    }

    [Fact]
    public void Read_HeaderWithoutRequiredColumn_ThrowsFormatErrorNamingIt()
    {
        var ex = Assert.Throws<LabFileFormatException>(() => Read("patient_id,collected_at,analyte,value\nPT-1,2024-10-11,igg,250\n"));

        Assert.Equal(1, ex.Error.Line);
        Assert.Contains("unit", ex.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotACsv_ThrowsFormatError()
    {
        var ex = Assert.Throws<LabFileFormatException>(() => Read("%PDF-1.7 binary junk\n"));

        Assert.Contains("not a lab CSV", ex.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnterminatedQuote_IsARowErrorNotACrash()
    {
        var items = Read($"{Header}\nPT-1,2024-10-11,igg,\"250,mg/dL\n");

        Assert.Contains("unterminated", Assert.Single(items).Error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BlankLines_AreSkipped()
    {
        var items = Read($"{Header}\n\nPT-1,2024-10-11,igg,250,mg/dL\n\n");

        Assert.Single(items);
    }

    [Fact]
    public void Read_ArbitraryBytes_YieldsItemsOrFormatErrorAndNothingElse()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            var withHeader = Encoding.UTF8.GetBytes(Header + "\n").Concat(bytes).ToArray();
            foreach (var input in new[] { bytes, withHeader })
            {
                try
                {
                    _ = new CsvLabReader().Read(new MemoryStream(input), "fuzz.csv", CancellationToken.None).ToList();
                }
                catch (LabFileFormatException)
                {
                    // the typed error is an allowed outcome
                }
            }
        }, iter: 2000);
    }
}
