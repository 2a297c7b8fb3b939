using System.Globalization;

namespace PerfOtel.Reports.Prometheus;

/// <summary>
/// PromQL's <c>histogram_quantile</c> computed here from bucket counts (<c>le</c> → cumulative count), so that one
/// query of the buckets' increases serves every quantile, every agent and all agents together. Same algorithm as
/// Prometheus (linear interpolation within the bucket holding the rank; the highest finite bound when the rank falls
/// in the +Inf bucket; cumulative counts made monotonic first).
/// </summary>
internal static class HistogramQuantile
{
    /// <summary>The quantile, or NaN without observations or without a +Inf bucket.</summary>
    public static double Of(double q, IReadOnlyDictionary<double, double> cumulativeByUpperBound)
    {
        var buckets = cumulativeByUpperBound.OrderBy(b => b.Key).ToArray();
        if (buckets.Length < 2 || !double.IsPositiveInfinity(buckets[^1].Key))
        {
            return double.NaN;
        }

        // Counts of replicas scraped at slightly different times can dip; Prometheus takes the running maximum.
        var counts = new double[buckets.Length];
        var max = double.NegativeInfinity;
        for (var i = 0; i < buckets.Length; i++)
        {
            max = Math.Max(max, buckets[i].Value);
            counts[i] = max;
        }

        var observations = counts[^1];
        if (observations <= 0 || double.IsNaN(observations))
        {
            return double.NaN;
        }

        var rank = q * observations;
        var b = Array.FindIndex(counts, c => c >= rank);
        if (b == buckets.Length - 1)
        {
            return buckets[^2].Key;
        }

        if (b == 0 && buckets[0].Key <= 0)
        {
            return buckets[0].Key;
        }

        double start = 0, count = counts[b];
        if (b > 0)
        {
            start = buckets[b - 1].Key;
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }

        return count > 0 ? start + ((buckets[b].Key - start) * (rank / count)) : start;
    }

    /// <summary>Parses an <c>le</c> label (<c>60</c>, <c>60.0</c>, <c>+Inf</c>); null when it is not a number.</summary>
    public static double? UpperBound(string le) =>
        le == "+Inf" ? double.PositiveInfinity
        : double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
