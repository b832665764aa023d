using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Core.Tests.Ingestion;

public class LabFileEventTests
{
    private const string EventGridEvent = """
        {"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/lab-results/blobs/hospital-a/2024%2010%2011.csv",
         "eventTime":"2026-11-26T10:00:00Z","dataVersion":"","data":{"api":"PutBlob","url":"https://st.blob.core.windows.net/lab-results/hospital-a/2024%2010%2011.csv"}}
        """;

    [Fact]
    public void BlobName_IsTheNameUnderTheDropZone_Unescaped()
    {
        Assert.Equal("hospital-a/2024 10 11.csv", LabFileEventService.BlobName(EventGridEvent));
    }

    [Fact]
    public void BlobName_OfAnotherContainer_IsNull()
    {
        Assert.Null(LabFileEventService.BlobName(EventGridEvent.Replace("containers/lab-results/", "containers/app-package/", StringComparison.Ordinal)));
    }

    [Fact]
    public void CloudEventsBatch_IsReadToo()
    {
        Assert.Equal("x.hl7", LabFileEventService.BlobName("""[{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/lab-results/blobs/x.hl7"}]"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"eventType\":\"x\"}")]
    public void NotAnEvent_IsPermanent(string message)
    {
        Assert.Throws<PermanentPipelineException>(() => LabFileEventService.BlobName(message));
    }
}
