using CarTLabPipeline.Domain;

// In the port's namespace, so a test that reads a store finds it without a using.
namespace CarTLabPipeline.Ports;

/// <summary>What a test asks of a store it filled itself: every version (the store has no unbounded read).</summary>
public static class LabResultStoreTestExtensions
{
    /// <summary>Every stored version of the patient, in no particular order; fails the test if the read says too large.</summary>
    public static async Task<IReadOnlyList<LabResult>> GetVersionsAsync(this ILabResultStore store, string patientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var read = await store.GetVersionsAsync(patientId, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return read.TooLarge ? throw new InvalidOperationException($"the record of {patientId} said too large with no limit") : read.Versions;
    }
}
