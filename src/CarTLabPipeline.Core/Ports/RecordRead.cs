using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ports;

/// <summary>
/// What a bounded read of a patient's record gave (<see cref="ILabResultStore.GetVersionsAsync"/>): every
/// version, or — when the record holds more than the limit — none, and that it is too large. An expected outcome, so a
/// value and not an exception.
/// </summary>
public sealed record RecordRead
{
    private RecordRead(IReadOnlyList<LabResult> versions, int limit, bool tooLarge)
    {
        Versions = versions;
        Limit = limit;
        TooLarge = tooLarge;
    }

    /// <summary>Every stored version of the patient, in no particular order; empty when <see cref="TooLarge"/>.</summary>
    public IReadOnlyList<LabResult> Versions { get; }

    /// <summary>The most versions the read was allowed to hold.</summary>
    public int Limit { get; }

    /// <summary>The record holds more than <see cref="Limit"/> versions: the read stopped there and kept none.</summary>
    public bool TooLarge { get; }

    /// <summary>A whole record of at most <paramref name="limit"/> versions.</summary>
    /// <exception cref="ArgumentException">More versions than the limit.</exception>
    public static RecordRead Of(IReadOnlyList<LabResult> versions, int limit)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count > limit)
        {
            throw new ArgumentException($"{versions.Count} versions are more than the limit of {limit}: the record is too large", nameof(versions));
        }

        return new RecordRead(versions, limit, tooLarge: false);
    }

    /// <summary>The record holds more than <paramref name="limit"/> versions.</summary>
    public static RecordRead MoreThan(int limit) => new([], limit, tooLarge: true);

    /// <summary>
    /// <see cref="Of"/> or <see cref="MoreThan"/> for versions already read (for a store that holds its record in memory
    /// anyway: it must read no more than <paramref name="limit"/> + 1 of them).
    /// </summary>
    public static RecordRead Within(IReadOnlyList<LabResult> versions, int limit)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Count > limit ? MoreThan(limit) : Of(versions, limit);
    }
}
