using System.Globalization;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Rendering;

namespace PerfOtel.Reports.Analysis;

/// <summary>
/// Periods and agents outside their baseline. A bucket of the current period is an anomaly when its value is
/// outside Tukey's far fences (Q1 - 3 IQR, Q3 + 3 IQR) of the agent's buckets in both periods, |z| ≥ 3 against the
/// other buckets (leave-one-out mean and standard deviation), and the difference from the median is material
/// (5 points and at least 3 failures for ratios, 25% for durations). Consecutive anomalous buckets are one anomaly. An agent is an anomaly
/// when its period value is outside the same fences of all agents' values (at least 4 agents).
/// </summary>
internal static class AnomalyDetector
{
    public const double FenceK = 3;
    public const double MinZ = 3;
    public const int MinBaseline = 8;
    public const double MinRunsPerBucket = 5;
    public const double MinCallsPerBucket = 10;
    public const double MinRatioDifference = 0.05;

    /// <summary>A ratio bucket counts as anomalous only with at least this many failures in it (one or two failures in a small bucket are noise).</summary>
    public const double MinFailures = 3;
    public const double MinRelativeDifference = 0.25;

    public static List<Anomaly> Find(BucketSeries buckets, KpiReport current)
    {
        var anomalies = new List<Anomaly>();
        foreach (var agent in current.Agents.Select(a => a.Agent))
        {
            var runs = buckets.RunsOf(agent);
            var failed = buckets.FailedRunsOf(agent);
            var failureRatio = runs.Select((n, i) => n >= MinRunsPerBucket ? failed[i] / n : (double?)null).ToArray();
            Periods(anomalies, buckets, agent, "run_failure_ratio", "Run failure ratio", "ratio", failureRatio, failed);

            if (buckets.P95ByAgent.TryGetValue(agent, out var p95))
            {
                Periods(anomalies, buckets, agent, "p95_duration", "p95 run duration", "s", p95);
            }

            if (buckets.LlmCallsByAgent.TryGetValue(agent, out var calls))
            {
                var failedCalls = buckets.FailedLlmCallsByAgent.GetValueOrDefault(agent) ?? new double[buckets.Count];
                var errorRatio = calls.Select((n, i) => n >= MinCallsPerBucket ? failedCalls[i] / n : (double?)null).ToArray();
                Periods(anomalies, buckets, agent, "llm_error_ratio", "LLM call error ratio", "ratio", errorRatio, failedCalls);
            }
        }

        Agents(anomalies, current, buckets, "run_failure_ratio", "Run failure ratio", "ratio", a => a.Runs >= 20 ? 1 - a.SuccessRatio : null);
        Agents(anomalies, current, buckets, "p95_duration", "p95 run duration", "s", a => a.Runs >= 20 ? a.P95RunDurationSeconds : null);
        return anomalies.OrderByDescending(a => Math.Abs(a.Z)).ThenBy(a => a.From).ToList();
    }

    private static void Periods(List<Anomaly> anomalies, BucketSeries buckets, string agent, string metric, string name, string unit, double?[] values, double[]? failures = null)
    {
        var baseline = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (baseline.Count < MinBaseline)
        {
            return;
        }

        var (median, low, high) = Fences(baseline);
        var flagged = new List<(int Index, double Value, double Z)>();
        for (var i = buckets.CurrentStart; i < buckets.Count; i++)
        {
            if (values[i] is not { } x || !Outside(x, median, low, high, unit) || (failures is not null && x > median && failures[i] < MinFailures))
            {
                continue;
            }

            var z = LeaveOneOutZ(values, i);
            if (Math.Abs(z) >= MinZ)
            {
                flagged.Add((i, x, z));
            }
        }

        // Consecutive buckets on the same side of the baseline are one anomalous period.
        var k = 0;
        while (k < flagged.Count)
        {
            var j = k;
            while (j + 1 < flagged.Count && flagged[j + 1].Index == flagged[j].Index + 1 && Math.Sign(flagged[j + 1].Z) == Math.Sign(flagged[k].Z))
            {
                j++;
            }

            var run = flagged.GetRange(k, j - k + 1);
            var value = run.Average(f => f.Value);
            var z = run.MaxBy(f => Math.Abs(f.Z)).Z;
            var from = buckets.Ends[run[0].Index] - buckets.Step;
            var to = buckets.Ends[run[^1].Index];
            anomalies.Add(new Anomaly(
                "period", agent, metric, unit, from, to, value, median, low, high, z,
                string.Create(CultureInfo.InvariantCulture,
                    $"{name} of agent {KpiFormat.Agent(agent)} was {KpiFormat.Value(value, unit)} from {Time.ReportTime.Format(from)} to {Time.ReportTime.Format(to)}, against a baseline median of {KpiFormat.Value(median, unit)} (fences {KpiFormat.Value(low, unit)} to {KpiFormat.Value(high, unit)}, z = {z:0.0}).")));
            k = j + 1;
        }
    }

    private static void Agents(List<Anomaly> anomalies, KpiReport current, BucketSeries buckets, string metric, string name, string unit, Func<KpiValues, double?> value)
    {
        var values = current.Agents.Select(a => (a.Agent, Value: value(a.Values))).Where(a => a.Value.HasValue).Select(a => (a.Agent, Value: a.Value!.Value)).ToList();
        if (values.Count < 4)
        {
            return;
        }

        var all = values.Select(v => v.Value).ToList();
        var (median, low, high) = Fences(all);
        for (var i = 0; i < values.Count; i++)
        {
            var x = values[i].Value;
            if (!Outside(x, median, low, high, unit))
            {
                continue;
            }

            var z = LeaveOneOutZ(all.Select(v => (double?)v).ToList(), i);
            if (Math.Abs(z) < MinZ)
            {
                continue;
            }

            var from = buckets.Ends.Count > 0 ? buckets.Ends[buckets.CurrentStart] - buckets.Step : default;
            var to = buckets.Ends.Count > 0 ? buckets.Ends[^1] : default;
            anomalies.Add(new Anomaly(
                "agent", values[i].Agent, metric, unit, from, to, x, median, low, high, z,
                string.Create(CultureInfo.InvariantCulture,
                    $"{name} of agent {KpiFormat.Agent(values[i].Agent)} was {KpiFormat.Value(x, unit)} over the period, outside the range of the other agents (median {KpiFormat.Value(median, unit)}, fences {KpiFormat.Value(low, unit)} to {KpiFormat.Value(high, unit)}, z = {z:0.0}).")));
        }
    }

    internal static (double Median, double Low, double High) Fences(IReadOnlyList<double> values)
    {
        var q1 = Stats.Quantile(values, 0.25);
        var q3 = Stats.Quantile(values, 0.75);
        var iqr = q3 - q1;
        return (Stats.Median(values), q1 - (FenceK * iqr), q3 + (FenceK * iqr));
    }

    private static bool Outside(double x, double median, double low, double high, string unit)
    {
        if (x >= low && x <= high)
        {
            return false;
        }

        var difference = Math.Abs(x - median);
        return unit == "ratio" ? difference >= MinRatioDifference : difference >= MinRelativeDifference * Math.Abs(median);
    }

    /// <summary>z of value i against the mean and standard deviation of the others; ±∞ when the others do not vary.</summary>
    internal static double LeaveOneOutZ(IReadOnlyList<double?> values, int i)
    {
        var others = values.Where((v, j) => j != i && v.HasValue).Select(v => v!.Value).ToList();
        var x = values[i]!.Value;
        var sd = Stats.StdDev(others);
        var diff = x - Stats.Mean(others);
        return sd > 0 ? Math.Clamp(diff / sd, -Stats.MaxZ, Stats.MaxZ) : diff == 0 ? 0 : Math.Sign(diff) * Stats.MaxZ;
    }
}
