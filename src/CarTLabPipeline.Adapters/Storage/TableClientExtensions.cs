using Azure;
using Azure.Data.Tables;

namespace CarTLabPipeline.Adapters.Storage;

internal static class TableClientExtensions
{
    /// <summary>Insert-if-absent in one atomic write: false when the row exists (409), the dedupe of docs/design.md §2.</summary>
    public static async Task<bool> TryAddEntityAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }
}
