using System.Globalization;
using System.Text;
using PerfOtel.Reports.Analysis;

namespace PerfOtel.Reports.Rendering;

/// <summary>
/// Every number of the report as one long table, for spreadsheets:
/// <c>section,subject,metric,value,previous_value,change,unit</c> (RFC 4180, invariant culture, empty = no value).
/// </summary>
internal sealed class CsvReport : IReportRenderer
{
    public const string Header = "section,subject,metric,value,previous_value,change,unit";

    public string FileExtension => "csv";

    public string Render(ReportModel m)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        void Row(string section, string subject, string metric, double? value, double? previous, double? change, string unit) =>
            csv.Append(Field(section)).Append(',').Append(Field(subject)).Append(',').Append(Field(metric)).Append(',')
                .Append(Number(value)).Append(',').Append(Number(previous)).Append(',').Append(Number(change)).Append(',').Append(Field(unit)).Append("\r\n");

        foreach (var k in m.Kpis)
        {
            Row("kpi", "all", k.Key, k.Current, k.Previous, k.Change, k.Unit);
        }

        foreach (var a in m.Agents)
        {
            var (c, p) = (a.Current, a.Previous);
            Row("agent", a.Agent, "runs", c.Runs, p.Runs, null, "count");
            Row("agent", a.Agent, "success_ratio", c.SuccessRatio, p.SuccessRatio, a.SuccessRatio.Change, "ratio");
            Row("agent", a.Agent, "p50_duration", c.P50RunDurationSeconds, p.P50RunDurationSeconds, null, "s");
            Row("agent", a.Agent, "p95_duration", c.P95RunDurationSeconds, p.P95RunDurationSeconds, a.P95.Change, "s");
            Row("agent", a.Agent, "llm_calls", c.LlmCalls, p.LlmCalls, null, "count");
            Row("agent", a.Agent, "llm_error_ratio", c.LlmErrorRatio, p.LlmErrorRatio, null, "ratio");
            foreach (var type in m.TokenTypes)
            {
                Row("agent", a.Agent, $"tokens_{type}", c.Tokens(type), p.Tokens(type), null, "tokens");
            }

            Row("agent", a.Agent, "cost_usd", c.CostUsd, p.CostUsd, null, "usd");
            Row("agent", a.Agent, "speedup", c.Speedup, p.Speedup, null, "x");
        }

        foreach (var ph in m.Bottlenecks.Phases)
        {
            Row("phase", ph.Phase, "seconds", ph.Seconds, null, null, "s");
            Row("phase", ph.Phase, "share_of_run_time", ph.Share, null, null, "ratio");
        }

        foreach (var x in m.Cost.ByModel)
        {
            Row("cost_by_model", $"{x.Provider}/{x.Model}", "cost_usd", x.Usd, null, null, "usd");
        }

        foreach (var t in m.Cost.ByTeam)
        {
            Row("cost_by_team", t.Name, "cost_usd", t.Usd, null, null, "usd");
        }

        foreach (var b in m.Cost.Budgets)
        {
            var subject = $"{b.Scope}/{b.Name}/{b.Period}";
            Row("budget", subject, "limit_usd", b.LimitUsd, null, null, "usd");
            Row("budget", subject, "spent_usd", b.SpentUsd, null, null, "usd");
            Row("budget", subject, "projected_usd", b.ProjectedUsd, null, null, "usd");
        }

        foreach (var f in m.Forecasts)
        {
            Row("forecast", f.Key, "value", f.Value, null, null, f.Unit);
            Row("forecast", f.Key, "low_95", f.Low, null, null, f.Unit);
            Row("forecast", f.Key, "high_95", f.High, null, null, f.Unit);
            Row("forecast", f.Key, "backtest_error", f.Backtest?.AbsolutePercentageError, null, null, "ratio");
        }

        foreach (var a in m.Anomalies)
        {
            Row("anomaly", $"{a.Agent}@{Time.ReportTime.Format(a.From)}", a.Metric, a.Value, a.BaselineMedian, null, a.Unit);
        }

        foreach (var a in m.Alerts.Alerts)
        {
            Row("alert", a.AlertName, "fired", a.Fired, a.PreviousFired, null, "count");
            Row("alert", a.AlertName, "firing_seconds", a.FiringTime.TotalSeconds, null, null, "s");
        }

        return csv.ToString();
    }

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>Quotes a field holding a comma, quote or line break; a leading =, +, - or @ is prefixed with ' (no spreadsheet formulas from label values).</summary>
    internal static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
