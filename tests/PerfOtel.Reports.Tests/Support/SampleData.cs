using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests.Support;

/// <summary>Hand-made <see cref="ReportData"/> for renderer and analysis tests that need no Prometheus.</summary>
internal static class SampleData
{
    public static readonly ReportRange SampleRange = ReportRange.Create(
        new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 31, 13, 30, 0, TimeSpan.Zero));

    public static KpiValues Values(double runs, double ok, double? p95, double calls, double failed, double input, double output, double usd = 0) => new()
    {
        Runs = runs,
        SuccessfulRuns = ok,
        P50RunDurationSeconds = p95 / 2,
        P95RunDurationSeconds = p95,
        LlmCalls = calls,
        FailedLlmCalls = failed,
        TokensByType = new Dictionary<string, double> { ["input"] = input, ["output"] = output },
        CostUsd = usd,
    };

    public static ReportData Fleet(KpiReport current, KpiReport? previous = null, IReadOnlyList<ModelUsage>? models = null, IReadOnlyList<PhaseTime>? phases = null)
    {
        var (ends, currentStart) = ReportReader.Timeline(SampleRange);
        var buckets = new BucketSeries(
            SampleRange.Step, ends,
            new Dictionary<(string, string), double[]>(), new Dictionary<string, double?[]>(), new Dictionary<string, double?[]>(),
            new double?[ends.Length], new double?[ends.Length],
            new Dictionary<string, double[]>(), new Dictionary<string, double[]>(), new Dictionary<(string, string), double[]>(), new Dictionary<string, double[]>())
        {
            CurrentStart = currentStart,
        };
        return new ReportData(
            new PeriodData(SampleRange, current, models ?? [], [], phases ?? [], []),
            new PeriodData(SampleRange.Previous, previous ?? KpiReport.Empty, [], [], [], []),
            buckets, [], [], [], 25, TimeSpan.FromMilliseconds(120));
    }

    public static ReportModel Model(ReportData data, ReportKind kind = ReportKind.Range) =>
        ReportAnalyzer.Analyze(kind, SampleRange, data, "http://127.0.0.1:9090", new DateTimeOffset(2026, 1, 31, 14, 0, 5, TimeSpan.Zero));
}
