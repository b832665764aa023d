using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.Cytopenia;

/// <summary>
/// When a count has recovered (docs/clinical.md §2.6): at or above <see cref="Threshold"/> on <see cref="Values"/> consecutive
/// values on different days (ANC ≥ 0.5 × 10⁹/L, CIBMTR) or, with <see cref="ConsecutiveDays"/>, on that many consecutive
/// calendar days (platelets ≥ 20 × 10⁹/L, T-ICAHT). A single value back above the line during aplasia is not a recovery.
/// </summary>
/// <param name="Threshold">The value (canonical unit) at or above which a value counts towards recovery.</param>
/// <param name="Values">How many consecutive values, each on a different day.</param>
/// <param name="ConsecutiveDays">True: the days must follow each other without a gap.</param>
public sealed record CountRecovery(decimal Threshold, int Values, bool ConsecutiveDays)
{
    /// <summary>
    /// Follows a series in time order and says when it has recovered. Values of one day count once; a value below the
    /// threshold breaks the run; a censored value that cannot tell changes nothing.
    /// </summary>
    public sealed class Tracker(CountRecovery definition)
    {
        private DateOnly? _lastDay;
        private int _days;

        /// <summary>The value that completed the last recovery, or null when none since the last <see cref="Reset"/>.</summary>
        public LabResult? RecoveredBy { get; private set; }

        /// <summary>Adds the next value (collected on the local date <paramref name="date"/>); true when it completes a recovery.</summary>
        public bool Add(LabResult result, DateOnly date)
        {
            ArgumentNullException.ThrowIfNull(result);
            switch (Rules.Threshold.Compare(result, definition.Threshold))
            {
                case ThresholdState.Below:
                    (_lastDay, _days) = (null, 0);
                    return false;
                case ThresholdState.AtOrAbove:
                    if (_lastDay == date)
                    {
                        return false;
                    }

                    _days = definition.ConsecutiveDays && _lastDay is { } last && last.AddDays(1) != date ? 1 : _days + 1;
                    _lastDay = date;
                    if (_days == definition.Values)
                    {
                        RecoveredBy = result;
                        return true;
                    }

                    return false;
                default:
                    return false;
            }
        }

        /// <summary>Forgets the run and the last recovery.</summary>
        public void Reset() => (_lastDay, _days, RecoveredBy) = (null, 0, null);
    }
}
