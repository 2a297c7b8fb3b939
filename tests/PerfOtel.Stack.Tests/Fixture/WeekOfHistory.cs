using System.Globalization;
using System.Text;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// Seven days of a demo-sized fleet in OpenMetrics, one file per 2-hour TSDB block so that <c>promtool tsdb
/// create-blocks-from openmetrics</c> reads each sample once (given a whole week in one file it re-reads the file for
/// every block it writes). Series the Overview dashboard reads raw (cost, unpriced tokens, up, ALERTS) are at the
/// shipped 15 s scrape interval; series only the recording-rule backfill reads (run counts and buckets, probes,
/// budget limits) at 1 minute (the rules' output is backfilled at the shipped 15 s evaluation interval).
/// </summary>
/// <remarks>
/// Shape of the fleet (src/PerfOtel.DemoFleet): 8 agents in 3 teams, 2 environments, 9 outcome/error categories
/// (144 run-count series), 9 cost series, 3 probed components, 5 budgets, a firing alert now and then. Runs follow a
/// working day (quiet nights, afternoon peak), 30 runs/min at the peak. Counters are whole numbers.
/// </remarks>
public sealed class WeekOfHistory
{
    /// <summary>The shipped scrape and evaluation interval: series the dashboard reads have this density.</summary>
    public const int ScrapeSeconds = 15;

    /// <summary>Series only the recording-rule backfill reads (the dashboard reads the rules' output): 1 minute.</summary>
    public const int InputSeconds = 60;
    private const int BlockSeconds = 2 * 3600;
    private const string Target = "instance=\"collector:8080\",job=\"perfotel-collector\"";

    private static readonly (string Agent, string Team, double Share, double TypicalSeconds, string Provider, string Model, double UsdPerRun)[] Agents =
    [
        ("planner", "payments", 0.16, 45, "openai", "gpt-4o", 0.02),
        ("coder", "payments", 0.20, 240, "anthropic", "claude-sonnet-4-5", 0.15),
        ("researcher", "search", 0.16, 120, "gcp.gemini", "gemini-2.5-flash", 0.01),
        ("summarizer", "search", 0.14, 20, "openai", "gpt-4o-mini", 0.001),
        ("reviewer", "platform", 0.12, 60, "anthropic", "claude-3-5-haiku", 0.005),
        ("triage", "platform", 0.12, 15, "openai", "gpt-4.1-mini", 0.001),
        ("reasoner", "platform", 0.06, 300, "openai", "o3", 0.08),
        ("local-runner", "platform", 0.04, 90, "self-hosted", "llama-3.1-70b", 0),
    ];

    private static readonly (string Outcome, string? Error, double Share)[] Outcomes =
    [
        ("success", null, 0.90), ("failure", "timeout", 0.015), ("failure", "tool_error", 0.015), ("failure", "llm_error", 0.01),
        ("failure", "test_failure", 0.01), ("blocked", "waiting_on_human", 0.02), ("blocked", "missing_permissions", 0.005),
        ("blocked", "dependency_down", 0.005), ("cancelled", null, 0.02),
    ];

    private static readonly double[] Le = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

    private static readonly (string Scope, string Name, string Period, double Limit)[] Budgets =
    [
        ("team", "payments", "daily", 400), ("team", "payments", "monthly", 10_000), ("team", "search", "monthly", 2_000),
        ("agent", "coder", "daily", 300), ("agent", "researcher", "monthly", 1_000),
    ];

    private readonly double[] cumulativeRuns;

    /// <param name="end">End of the week (exclusive), aligned to 2 hours.</param>
    public WeekOfHistory(DateTimeOffset end)
    {
        End = end.ToUnixTimeSeconds();
        if (End % BlockSeconds != 0)
        {
            throw new ArgumentException("the end must be aligned to 2 hours", nameof(end));
        }

        Start = End - (7 * 86400);
        // Fleet runs since the start, at every scrape: the integral of 30 runs/min x the daily activity curve.
        var steps = (int)((End - Start) / ScrapeSeconds);
        cumulativeRuns = new double[steps + 1];
        for (var i = 1; i <= steps; i++)
        {
            var hour = (double)((Start + (i * ScrapeSeconds)) % 86400) / 3600;
            cumulativeRuns[i] = cumulativeRuns[i - 1] + (30.0 / 60 * ScrapeSeconds * Activity(hour));
        }
    }

    public long Start { get; }

    public long End { get; }

    /// <summary>Samples written by <see cref="WriteBlockFile"/> so far.</summary>
    public long Samples { get; private set; }

    /// <summary>The 2-hour windows, oldest first: [start, start + 2 h).</summary>
    public IEnumerable<long> Blocks()
    {
        for (var t = Start; t < End; t += BlockSeconds)
        {
            yield return t;
        }
    }

    /// <summary>Writes the OpenMetrics file of one 2-hour block; series sorted, samples in time order, seconds.</summary>
    public void WriteBlockFile(long blockStart, string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var blockEnd = blockStart + BlockSeconds;
        var inv = CultureInfo.InvariantCulture;

        void Series(string name, string labels, int every, Func<long, double?> value)
        {
            for (var t = blockStart; t < blockEnd; t += every)
            {
                if (value(t) is { } v)
                {
                    w.Write(name);
                    w.Write('{');
                    w.Write(labels);
                    w.Write("} ");
                    w.Write(v.ToString("R", inv));
                    w.Write(' ');
                    w.Write(t.ToString(inv));
                    w.Write('\n');
                    Samples++;
                }
            }
        }

        // Metric families one after another (OpenMetrics does not interleave them).
        foreach (var a in Agents)
        {
            foreach (var env in new[] { ("prod", 0.85), ("staging", 0.15) })
            {
                foreach (var o in Outcomes)
                {
                    var share = a.Share * env.Item2 * o.Share;
                    var labels = $"agent_run_outcome=\"{o.Outcome}\",agent_team=\"{a.Team}\",deployment_environment_name=\"{env.Item1}\","
                        + (o.Error is null ? "" : $"error_type=\"{o.Error}\",") + $"gen_ai_agent_name=\"{a.Agent}\",{Target}";
                    Series("agent_run_duration_seconds_count", labels, InputSeconds, t => Math.Floor(Runs(t) * share));
                }
            }
        }

        // Rule input only: per agent and bucket (the p95 rule sums by agent and le anyway).
        foreach (var a in Agents)
        {
            foreach (var le in Le.Select(l => l.ToString("0.0", inv)).Append("+Inf"))
            {
                var share = le == "+Inf" ? 1 : LogNormalCdf(double.Parse(le, inv), a.TypicalSeconds, 0.6);
                Series("agent_run_duration_seconds_bucket", $"gen_ai_agent_name=\"{a.Agent}\",{Target},le=\"{le}\"", InputSeconds, t => Math.Floor(Runs(t) * a.Share * share));
            }
        }

        foreach (var a in Agents.Where(a => a.UsdPerRun > 0))
        {
            Series("agent_llm_cost_usd_total", $"agent_team=\"{a.Team}\",gen_ai_agent_name=\"{a.Agent}\",gen_ai_provider_name=\"{a.Provider}\",gen_ai_request_model=\"{a.Model}\",{Target}",
                ScrapeSeconds, t => Math.Round(Runs(t) * a.Share * a.UsdPerRun, 4));
        }

        // The cost-spike model of the researcher: a short burst a day.
        Series("agent_llm_cost_usd_total", $"agent_team=\"search\",gen_ai_agent_name=\"researcher\",gen_ai_provider_name=\"gcp.gemini\",gen_ai_request_model=\"gemini-2.5-pro\",{Target}",
            ScrapeSeconds, t => Math.Round(0.5 * ((t - Start) / 86400), 4));
        foreach (var type in new[] { ("cached_input", 0.0), ("input", 3000.0), ("output", 400.0) })
        {
            Series("agent_llm_unpriced_tokens_total", $"gen_ai_provider_name=\"self-hosted\",gen_ai_request_model=\"llama-3.1-70b\",gen_ai_token_type=\"{type.Item1}\",{Target}",
                ScrapeSeconds, t => type.Item2 == 0 ? 0 : Math.Floor(Runs(t) * 0.04 * 2 * type.Item2));
        }

        (string Component, int Weight)[] components = [("alertmanager", 1), ("model-proxy", 1), ("prometheus", 2)];
        foreach (var (component, _) in components)
        {
            // model-proxy is down for 10 minutes every day at 03:00.
            Series("perfotel_component_up", $"component=\"{component}\",{Target},probe_kind=\"http\"", InputSeconds,
                t => component == "model-proxy" && t % 86400 is >= 3 * 3600 and < (3 * 3600) + 600 ? 0 : 1);
        }

        foreach (var (component, weight) in components)
        {
            Series("perfotel_component_weight", $"component=\"{component}\",{Target},probe_kind=\"http\"", InputSeconds, _ => weight);
        }

        Series("up", Target, ScrapeSeconds, _ => 1);

        foreach (var b in Budgets)
        {
            Series("agent_budget_limit_usd", $"{BudgetLabels(b)},{Target}", InputSeconds, _ => b.Limit);
        }

        // budget:agent_llm_cost_usd:period_to_date reads its own previous value, which `promtool tsdb
        // create-blocks-from rules` cannot backfill: written here as the rule would have recorded it.
        foreach (var b in Budgets)
        {
            var usdPerRun = Agents.Where(a => b.Scope == "team" ? a.Team == b.Name : a.Agent == b.Name).Sum(a => a.Share * a.UsdPerRun);
            Series("budget:agent_llm_cost_usd:period_to_date", BudgetLabels(b), ScrapeSeconds, t => Math.Round((Runs(t) - Runs(PeriodStart(t, b.Period))) * usdPerRun, 4));
        }

        // One alert episode a day (45 minutes around the afternoon peak) and a short one at night.
        foreach (var (alert, severity, from, minutes) in new[] { ("LLMErrorRatioHigh", "warning", 14 * 3600, 45), ("ComponentDown", "critical", (3 * 3600) + 60, 10) })
        {
            Series("ALERTS", $"alertname=\"{alert}\",alertstate=\"firing\",severity=\"{severity}\"", ScrapeSeconds,
                t => t % 86400 >= from && t % 86400 < from + (minutes * 60) ? 1 : null);
        }

        w.Write("# EOF\n");
    }

    private static string BudgetLabels((string Scope, string Name, string Period, double Limit) b) => b.Scope == "team"
        ? $"agent_team=\"{b.Name}\",budget_name=\"{b.Name}\",budget_period=\"{b.Period}\",budget_scope=\"{b.Scope}\""
        : $"budget_name=\"{b.Name}\",budget_period=\"{b.Period}\",budget_scope=\"{b.Scope}\",gen_ai_agent_name=\"{b.Name}\"";

    /// <summary>Fleet runs since the start at time <paramref name="t"/> (interpolated between scrapes).</summary>
    private double Runs(long t)
    {
        var i = Math.Clamp((t - Start) / ScrapeSeconds, 0, cumulativeRuns.Length - 1);
        return cumulativeRuns[i];
    }

    private long PeriodStart(long t, string period)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(t);
        var start = period == "daily" ? new DateTimeOffset(at.Year, at.Month, at.Day, 0, 0, 0, TimeSpan.Zero) : new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return Math.Max(start.ToUnixTimeSeconds(), Start);
    }

    private static double Activity(double hour)
    {
        static double Bell(double h, double peak, double width)
        {
            var d = Math.Abs(h - peak);
            d = Math.Min(d, 24 - d);
            return Math.Exp(-(d * d) / (2 * width * width));
        }

        return 0.15 + (0.85 * Math.Max(0.85 * Bell(hour, 10.5, 1.8), Bell(hour, 15, 2.2)));
    }

    private static double LogNormalCdf(double x, double median, double sigma) =>
        0.5 * (1 + Erf(Math.Log(x / median) / (sigma * Math.Sqrt(2))));

    private static double Erf(double x)
    {
        // Abramowitz-Stegun 7.1.26: plenty for bucket shares.
        var t = 1 / (1 + (0.3275911 * Math.Abs(x)));
        var poly = (((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592;
        var y = 1 - (poly * t * Math.Exp(-x * x));
        return Math.Sign(x) * y;
    }
}
