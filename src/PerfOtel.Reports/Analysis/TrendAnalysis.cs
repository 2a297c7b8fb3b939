using System.Globalization;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Rendering;

namespace PerfOtel.Reports.Analysis;

/// <summary>
/// Plain statements about change, made only where the data supports them: a KPI change larger than normal variation
/// (|z| ≥ 1.96), or a steady slope within the period (|slope / standard error| ≥ 3 and R² ≥ 0.3).
/// </summary>
internal static class TrendAnalysis
{
    public const double SlopeT = 3;
    public const double SlopeRSquared = 0.3;

    public static List<Finding> Find(IReadOnlyList<KpiChange> fleet, IReadOnlyList<AgentRow> agents, BucketSeries buckets, string comparison)
    {
        var findings = new List<Finding>();
        foreach (var kpi in fleet.Where(k => k.Significant))
        {
            findings.Add(new Finding("change", "all agents", $"{kpi.Name} {Moved(kpi)} {comparison} ({Between(kpi)}).", [Evidence(kpi)]));
        }

        foreach (var row in agents)
        {
            foreach (var kpi in new[] { row.P95, row.SuccessRatio }.Where(k => k.Significant))
            {
                findings.Add(new Finding(
                    "change",
                    row.Agent,
                    $"{kpi.Name} of agent {KpiFormat.Agent(row.Agent)} {Moved(kpi)} {comparison} ({Between(kpi)}).",
                    [Evidence(kpi)]));
            }
        }

        var current = buckets.CurrentStart;
        Slope(findings, "Agent runs per bucket", "count", buckets.Runs().Skip(current).Select(v => (double?)v).ToList(), buckets);
        Slope(findings, "p95 run duration", "s", buckets.P95All.Skip(current).ToList(), buckets);
        Slope(findings, "LLM cost per bucket", "usd", buckets.Cost().Skip(current).Select(v => (double?)v).ToList(), buckets);
        return findings;
    }

    private static void Slope(List<Finding> findings, string name, string unit, List<double?> values, BucketSeries buckets)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (present.Count < 8 || present.Count < values.Count / 2)
        {
            return;
        }

        var fit = LinearFit.Of(present);
        if (fit is null || fit.SlopeStdError <= 0 || Math.Abs(fit.Slope / fit.SlopeStdError) < SlopeT || fit.RSquared < SlopeRSquared)
        {
            return;
        }

        var start = fit.At(0);
        var end = fit.At(present.Count - 1);
        var direction = fit.Slope > 0 ? "rose" : "fell";
        var relative = start != 0 ? $" ({KpiFormat.Change((end - start) / Math.Abs(start))})" : "";
        findings.Add(new Finding(
            "trend",
            "all agents",
            $"{name} {direction} steadily through the period: from about {KpiFormat.Value(start, unit)} to {KpiFormat.Value(end, unit)}{relative} on a fitted line.",
            [
                string.Create(CultureInfo.InvariantCulture, $"least-squares slope {KpiFormat.Value(fit.Slope, unit)} per {Time.ReportTime.FormatSpan(buckets.Step)} bucket, t = {fit.Slope / fit.SlopeStdError:0.0}, R² = {fit.RSquared:0.00}, {present.Count} buckets"),
            ]));
    }

    private static string Moved(KpiChange kpi)
    {
        var up = (kpi.Current ?? 0) >= (kpi.Previous ?? 0);
        var verb = up ? "rose" : "fell";
        return kpi.ChangeIsAbsolute
            ? $"{verb} {KpiFormat.Points(kpi.Change).TrimStart('+', '-')}"
            : kpi.Change is { } c ? $"{verb} {Math.Abs(c * 100).ToString("0", CultureInfo.InvariantCulture)}%" : verb;
    }

    private static string Between(KpiChange kpi) => $"{KpiFormat.Value(kpi.Previous, kpi.Unit)} → {KpiFormat.Value(kpi.Current, kpi.Unit)}";

    internal static string Evidence(KpiChange kpi) => kpi.Method switch
    {
        "two_proportion" => $"two-proportion z = {KpiFormat.Z(kpi.Z)} (|z| ≥ 1.96: larger than normal variation)",
        "welch_buckets" => $"Welch z = {KpiFormat.Z(kpi.Z)} over the per-bucket values of both periods (|z| ≥ 1.96: larger than normal variation)",
        _ => "no per-bucket data to test against",
    };
}
