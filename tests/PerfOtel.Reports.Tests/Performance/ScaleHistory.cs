using PerfOtel.Reports.Tests.Support;

namespace PerfOtel.Reports.Tests.Performance;

/// <summary>
/// Exactly 1,000 series over 14 days (the weekly report's week and the week before), scraped every minute: 20
/// agents with run, phase, LLM, token, cost, estimate and counter series, 10 budgets, 10 unpriced models and 10
/// alerts that fire now and then. About 20 million samples.
/// </summary>
internal sealed class ScaleHistory(DateTimeOffset end)
{
    public const int Agents = 20;
    public const int StepSeconds = 60;
    public const int LastStep = 14 * 24 * 60;
    public const int Series = 1_000;

    private static readonly string[] LlmBuckets = ["0.64", "1.28", "2.56", "5.12", "+Inf"];

    public DateTimeOffset End { get; } = end;

    public DateTimeOffset Start => End.AddSeconds(-LastStep * StepSeconds);

    public long Samples { get; private set; }

    public async Task WriteAsync(string path)
    {
        await using var file = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 20);
        var om = new OpenMetricsWriter(file, Start, StepSeconds, LastStep);
        var series = 0;

        om.Family("agent_run_duration_seconds", "histogram");
        for (var a = 0; a < Agents; a++)
        {
            var agent = a;
            om.Histogram("agent_run_duration_seconds", Labels(agent) + ",agent_run_outcome=\"success\"", k => Repeat(1 + (agent % 3), 5 + agent + (k % 7)), OpenMetricsWriter.RunBuckets);
            series += 17;
            if (agent % 2 == 0)
            {
                om.Histogram("agent_run_duration_seconds", Labels(agent) + ",agent_run_outcome=\"failure\",error_type=\"timeout\"", k => Repeat(k % 13 == 0 ? 1 : 0, 60), OpenMetricsWriter.RunBuckets);
                series += 17;
            }
        }

        om.Family("agent_run_phase_duration_seconds", "histogram");
        foreach (var phase in new[] { "plan", "execute", "review" })
        {
            for (var a = 0; a < Agents; a++)
            {
                var labels = Labels(a) + $",agent_run_phase=\"{phase}\"";
                om.Cumulative("agent_run_phase_duration_seconds_count", labels, _ => 1);
                om.Cumulative("agent_run_phase_duration_seconds_sum", labels, k => phase == "execute" ? 10 + (k % 5) : 2);
                series += 2;
            }
        }

        om.Family("gen_ai_client_operation_duration_seconds", "histogram");
        for (var a = 0; a < Agents; a++)
        {
            var agent = a;
            om.Histogram("gen_ai_client_operation_duration_seconds", Labels(agent) + $",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"model-{agent % 4}\"", k => Repeat(2, 0.5 + (k % 4)), LlmBuckets);
            series += 7;
        }

        om.Family("gen_ai_client_token_usage", "histogram");
        for (var a = 0; a < Agents; a++)
        {
            foreach (var type in new[] { "input", "output" })
            {
                var labels = Labels(a) + $",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"model-{a % 4}\",gen_ai_token_type=\"{type}\"";
                om.Cumulative("gen_ai_client_token_usage_count", labels, _ => 2);
                om.Cumulative("gen_ai_client_token_usage_sum", labels, k => type == "input" ? 1500 + (k % 100) : 300);
                series += 2;
            }
        }

        om.Family("agent_llm_cost_usd", "counter");
        for (var a = 0; a < Agents; a++)
        {
            om.Cumulative("agent_llm_cost_usd_total", Labels(a) + $",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"model-{a % 4}\"", k => 0.01 + (0.000001 * k));
            series++;
        }

        foreach (var (family, sample) in new[]
        {
            ("agent_run_estimate_duration_seconds", "agent_run_estimate_duration_seconds_total"),
            ("agent_run_estimate_actual_duration_seconds", "agent_run_estimate_actual_duration_seconds_total"),
            ("agent_run_blockers", "agent_run_blockers_total"),
            ("agent_run_lines_delivered", "agent_run_lines_delivered_total"),
            ("agent_run_retries", "agent_run_retries_total"),
        })
        {
            om.Family(family, "counter");
            for (var a = 0; a < Agents; a++)
            {
                om.Cumulative(sample, Labels(a), k => k % 3);
                series++;
            }
        }

        om.Family("agent_llm_unpriced_tokens", "counter");
        for (var m = 0; m < 10; m++)
        {
            om.Cumulative("agent_llm_unpriced_tokens_total", $"{Target},gen_ai_provider_name=\"local\",gen_ai_request_model=\"unpriced-{m}\",gen_ai_token_type=\"input\"", _ => 10);
            series++;
        }

        om.Family("agent_budget_limit_usd", "gauge");
        for (var b = 0; b < 10; b++)
        {
            om.Gauge("agent_budget_limit_usd", $"{Target},budget_scope=\"agent\",budget_name=\"agent-{b:00}\",budget_period=\"{(b % 2 == 0 ? "daily" : "monthly")}\"", _ => 100 + b);
            series++;
        }

        om.Family("ALERTS", "gauge");
        for (var i = 0; i < 10; i++)
        {
            var alert = i;
            om.Gauge("ALERTS", $"alertname=\"ScaleAlert{alert}\",alertstate=\"firing\",severity=\"{(alert % 3 == 0 ? "critical" : "warning")}\"", k => (k / 60) % (7 + alert) == 0 ? 1 : null);
            series++;
        }

        om.End();
        Samples = om.Samples;
        Assert.Equal(Series, series);
    }

    private const string Target = "job=\"perfotel-collector\",instance=\"collector-a:8080\",otel_scope_name=\"PerfOtel.Telemetry\"";

    private static string Labels(int agent) => $"{Target},gen_ai_agent_name=\"agent-{agent:00}\",agent_team=\"team-{agent % 4}\"";

    private static double[] Repeat(int count, double value)
    {
        var values = new double[count];
        Array.Fill(values, value);
        return values;
    }
}
