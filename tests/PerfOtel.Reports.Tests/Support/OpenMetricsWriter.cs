using System.Globalization;
using System.Text;

namespace PerfOtel.Reports.Tests.Support;

/// <summary>
/// Writes backfill input for <c>promtool tsdb create-blocks-from openmetrics</c>: families with their TYPE, each
/// series' samples in time order (series then time, as promtool requires), timestamps in seconds, <c># EOF</c>.
/// Cumulative series are given as increments per step; the value at step 0 is the series' birth.
/// </summary>
internal sealed class OpenMetricsWriter(TextWriter output, DateTimeOffset start, int stepSeconds, int lastStep)
{
    public static readonly string[] RunBuckets = ["1", "2", "5", "10", "20", "30", "60", "120", "300", "600", "1200", "1800", "3600", "7200", "+Inf"];

    public long Samples { get; private set; }

    public void Family(string name, string type) => output.Write($"# TYPE {name} {type}\n");

    /// <summary>A counter-like series: value = sum of <paramref name="increment"/> over steps 1..k (null: not exposed at k).</summary>
    public void Cumulative(string name, string labels, Func<int, double?> increment, int firstStep = 0)
    {
        double total = 0;
        for (var k = firstStep; k <= lastStep; k++)
        {
            if (increment(k) is not { } inc)
            {
                continue;
            }

            total += k == firstStep ? 0 : inc;
            Write(name, labels, total, k);
        }
    }

    /// <summary>A gauge: its value at each step (null: absent).</summary>
    public void Gauge(string name, string labels, Func<int, double?> value)
    {
        for (var k = 0; k <= lastStep; k++)
        {
            if (value(k) is { } v)
            {
                Write(name, labels, v, k);
            }
        }
    }

    /// <summary>
    /// A histogram series: at step k, <paramref name="observations"/> returns the values observed in that step.
    /// Writes the given buckets, _count and _sum.
    /// </summary>
    public void Histogram(string name, string labels, Func<int, IReadOnlyList<double>> observations, IReadOnlyList<string> buckets)
    {
        var cache = new IReadOnlyList<double>[lastStep + 1];
        for (var k = 1; k <= lastStep; k++)
        {
            cache[k] = observations(k);
        }

        foreach (var le in buckets)
        {
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            Cumulative($"{name}_bucket", $"{labels},le=\"{le}\"", k => k == 0 ? 0 : cache[k].Count(v => v <= bound));
        }

        Cumulative($"{name}_count", labels, k => k == 0 ? 0 : cache[k].Count);
        Cumulative($"{name}_sum", labels, k => k == 0 ? 0 : cache[k].Sum());
    }

    public void End() => output.Write("# EOF\n");

    private void Write(string name, string labels, double value, int k)
    {
        output.Write(name);
        output.Write('{');
        output.Write(labels);
        output.Write("} ");
        output.Write(value.ToString("R", CultureInfo.InvariantCulture));
        output.Write(' ');
        output.Write(start.AddSeconds((long)k * stepSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        output.Write('\n');
        Samples++;
    }
}
