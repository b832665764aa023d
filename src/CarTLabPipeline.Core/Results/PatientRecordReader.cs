using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Results;

/// <summary>
/// The one way a patient's record is read whole — by the evaluation, an alert's chart, the timeline, the results, the
/// schedule and the preview — so that what a process holds is bounded by settings, never by what a feed sent:
/// <list type="bullet">
/// <item>each read holds at most <see cref="EvaluationOptions.MaxRecordVersions"/> versions (the store stops at one more and
/// says the record is too large; nothing is judged or shown from part of a record);</item>
/// <item>at most <see cref="SharedReads"/> records of up to <see cref="SmallRecordVersions"/> versions are held at once, and a
/// larger record is held alone: its read waits until the others are done and holds back new ones until it is (a
/// real patient's record is a few thousand versions; the large ones are rare and each costs about 1 KB a version).</item>
/// </list>
/// A read holds its place until the caller is done with the record (the callback), because that is when its memory can go.
/// A read made while the same flow already holds a place (a chart drawn while a record is held) does not wait again.
/// </summary>
public sealed class PatientRecordReader(ILabResultStore store, IOptions<EvaluationOptions> options) : IDisposable
{
    /// <summary>Versions a record may hold to be read beside others; a larger one is read alone.</summary>
    public const int SmallRecordVersions = 10_000;

    /// <summary>Records of up to <see cref="SmallRecordVersions"/> versions held at once (each up to ~10 MB).</summary>
    public const int SharedReads = 4;

    private readonly SemaphoreSlim _places = new(SharedReads, SharedReads);
    private readonly SemaphoreSlim _alone = new(1, 1);
    private readonly AsyncLocal<bool> _holding = new();

    /// <summary>The most versions a record may hold to be read (<c>Evaluation__MaxRecordVersions</c>).</summary>
    public int Limit => options.Value.MaxRecordVersions;

    /// <summary>
    /// Reads the patient's record within <see cref="Limit"/> and hands it to <paramref name="use"/>, holding its place until
    /// <paramref name="use"/> is done.
    /// </summary>
    /// <param name="patientId">The patient.</param>
    /// <param name="sources">
    /// True: every version whole, with where it came from (<see cref="ILabResultStore.GetVersionsAsync"/>); false: as the
    /// evaluation reads it (<see cref="ILabResultStore.GetVersionsForEvaluationAsync"/>: without the texts no rule reads).
    /// </param>
    /// <param name="use">What to do with the read: every version, or too large (no version).</param>
    /// <param name="cancellationToken">Cancels the wait and the read.</param>
    public async Task<T> ReadAsync<T>(string patientId, bool sources, Func<RecordRead, Task<T>> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        var limit = Limit;
        if (_holding.Value)
        {
            return await use(await ReadAsync(patientId, sources, limit, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }

        // Most records are small: read beside others, up to the small size (or the limit when it is lower).
        var first = Math.Min(limit, SmallRecordVersions);
        await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _holding.Value = true;
            var read = await ReadAsync(patientId, sources, first, cancellationToken).ConfigureAwait(false);
            if (!read.TooLarge || first == limit)
            {
                return await use(read).ConfigureAwait(false);
            }
        }
        finally
        {
            _holding.Value = false;
            _places.Release();
        }

        // A large record: read again, alone (every place taken, one large read at a time).
        await _alone.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = 0;
        try
        {
            for (; taken < SharedReads; taken++)
            {
                await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            _holding.Value = true;
            return await use(await ReadAsync(patientId, sources, limit, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            _holding.Value = false;
            if (taken > 0)
            {
                _places.Release(taken);
            }

            _alone.Release();
        }
    }

    /// <inheritdoc cref="ReadAsync{T}(string, bool, Func{RecordRead, Task{T}}, CancellationToken)"/>
    public Task<T> ReadAsync<T>(string patientId, bool sources, Func<RecordRead, T> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        return ReadAsync(patientId, sources, read => Task.FromResult(use(read)), cancellationToken);
    }

    private Task<RecordRead> ReadAsync(string patientId, bool sources, int limit, CancellationToken ct) => sources
        ? store.GetVersionsAsync(patientId, limit, ct)
        : store.GetVersionsForEvaluationAsync(patientId, limit, ct);

    public void Dispose()
    {
        _places.Dispose();
        _alone.Dispose();
    }
}
