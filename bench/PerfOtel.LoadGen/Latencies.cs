using System.Diagnostics;

namespace PerfOtel.LoadGen;

/// <summary>Exact percentiles over every recorded latency (nearest-rank on the sorted samples; no bucketing).</summary>
public sealed class Latencies
{
    private readonly long[] sorted;

    /// <param name="ticks">Latencies in <see cref="Stopwatch"/> ticks.</param>
    public Latencies(IEnumerable<long> ticks)
    {
        sorted = [.. ticks];
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    /// <summary>The latency in milliseconds below or at which <paramref name="p"/> (0..1] of the samples fall.</summary>
    public double PercentileMs(double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return ToMs(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }

    public double MaxMs => sorted.Length == 0 ? double.NaN : ToMs(sorted[^1]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
