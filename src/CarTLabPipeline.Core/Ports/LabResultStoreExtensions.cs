using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ports;

/// <summary>Reading the record through <see cref="ILabResultStore"/>.</summary>
public static class LabResultStoreExtensions
{
    /// <summary>The patient's record: every version read in one query and resolved (<see cref="LabRecord.Resolve"/>).</summary>
    public static async Task<LabRecord> GetRecordAsync(this ILabResultStore store, string patientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return LabRecord.Resolve(await store.GetVersionsAsync(patientId, cancellationToken).ConfigureAwait(false));
    }
}
