using Azure.Data.Tables;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// Splits entities into entity group transactions Azure accepts: at most 100 entities, under 4 MiB, one partition key,
/// each entity once. Azurite does not reject mixed partition keys (Azure does), so the guard is here, in code.
/// </summary>
internal static class TableBatches
{
    public const int MaxEntities = 100;

    /// <summary>Payload budget per batch, with headroom under the 4 MiB limit for the multipart envelope.</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    /// <exception cref="ArgumentException">Entities of another partition, or the same row key twice.</exception>
    public static IEnumerable<IReadOnlyList<ITableEntity>> Split(string partitionKey, IEnumerable<ITableEntity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var batch = new List<ITableEntity>(MaxEntities);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var bytes = 0;
        foreach (var entity in entities)
        {
            if (!string.Equals(entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"a table transaction holds one partition: expected '{partitionKey}', got '{entity.PartitionKey}'", nameof(entities));
            }

            var size = EstimateBytes(entity);
            if (batch.Count == MaxEntities || (batch.Count > 0 && bytes + size > MaxBytes))
            {
                yield return batch;
                batch = new List<ITableEntity>(MaxEntities);
                keys.Clear();
                bytes = 0;
            }

            if (!keys.Add(entity.RowKey))
            {
                throw new ArgumentException($"row '{entity.RowKey}' appears twice in one transaction", nameof(entities));
            }

            batch.Add(entity);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Size of the entity on the wire (JSON), over-estimated: UTF-16 strings, names, framing.</summary>
    internal static int EstimateBytes(ITableEntity entity)
    {
        var size = 256 + (2 * (entity.PartitionKey.Length + entity.RowKey.Length));
        if (entity is TableEntity te)
        {
            foreach (var (key, value) in te)
            {
                size += 16 + (2 * key.Length) + value switch
                {
                    string s => 2 * s.Length,
                    byte[] b => b.Length * 4 / 3,
                    null => 4,
                    _ => 32,
                };
            }
        }

        return size;
    }
}
