using System.Globalization;
using System.Text;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>
/// Two hours of agent telemetry with known counts, as the collector would have exposed it (two replicas,
/// <c>job</c>/<c>instance</c> labels, a 15 s scrape), written as OpenMetrics for <c>promtool tsdb create-blocks-from</c>.
/// </summary>
/// <remarks>
/// Steps k = 0..480 are the scrapes, 15 s apart; the report range is (step 120, step 360], one hour in the
/// middle, so there is history before it (to subtract) and after it (to ignore). Within the range:
/// <list type="bullet">
/// <item>planner @ collector-a: a run every step, 3 s; every 4th step a 45 s failure instead (error_type=timeout)
/// → 180 successes + 60 failures. 2 LLM calls a step, plus a rate_limited error every 10th step → 480 + 24.
/// Tokens per step 1000 input, 250 output.</item>
/// <item>planner @ collector-b: a 8 s success every 2nd step → 120. 1 LLM call a step → 240. Tokens 400/100.</item>
/// <item>reviewer @ collector-a: first seen at step 200, inside the range, its first scrape already holding 3
/// successes (12 s), 5 LLM calls, 7000/1500 tokens; then a run every 4th step, alternating 12 s success and
/// 0.5 s blocked (the blocked series itself first appears at step 208) → 23 successes, 20 blocked;
/// 1 call a step → 165; tokens +300/+50 a step → 55,000/9,500.</item>
/// </list>
/// The series born inside the range are what <c>increase()</c> gets wrong.
/// <para>After the range, fixer @ collector-c appears at step 362 and runs 25 s successes every step; its
/// replica restarts at step 420 (the counters start again from zero): 119 runs in (step 360, step 480],
/// of which the counters' last value shows only 61.</para>
/// </remarks>
internal sealed class AgentHistory
{
    public const int StepSeconds = 15;
    public const int LastStep = 480;
    public const int FromStep = 120;
    public const int ToStep = 360;

    // What the report over (FromStep, ToStep] must say.
    public const int PlannerRuns = 360;
    public const int PlannerSuccesses = 300;
    public const int ReviewerRuns = 43;
    public const int ReviewerSuccesses = 23;
    public const int PlannerCalls = 744;
    public const int PlannerFailedCalls = 24;
    public const int ReviewerCalls = 165;
    public const int PlannerInputTokens = 336_000;
    public const int PlannerOutputTokens = 84_000;
    public const int ReviewerInputTokens = 55_000;
    public const int ReviewerOutputTokens = 9_500;

    // (ToStep, LastStep]: fixer's counter resets at step 420.
    public const int FixerRuns = 119;
    public const int FixerResetStep = 420;

    private static readonly string[] RunBuckets = ["1", "2", "5", "10", "20", "30", "60", "120", "300", "600", "1200", "1800", "3600", "7200", "+Inf"];

    private AgentHistory(DateTimeOffset start) => Start = start;

    /// <summary>The first scrape (step 0), on a whole minute.</summary>
    public DateTimeOffset Start { get; }

    public DateTimeOffset End => At(LastStep);

    public DateTimeOffset ReportFrom => At(FromStep);

    public DateTimeOffset ReportTo => At(ToStep);

    /// <summary>History whose last scrape is at <paramref name="end"/> (truncated to the minute).</summary>
    public static AgentHistory EndingAt(DateTimeOffset end)
    {
        var minute = end.ToUnixTimeSeconds() / 60 * 60;
        return new AgentHistory(DateTimeOffset.FromUnixTimeSeconds(minute - (LastStep * StepSeconds)));
    }

    public DateTimeOffset At(int step) => Start.AddSeconds(step * StepSeconds);

    public string ToOpenMetrics()
    {
        var om = new StringBuilder();

        om.Append("# TYPE agent_run_duration_seconds histogram\n# UNIT agent_run_duration_seconds seconds\n");
        foreach (var series in Runs())
        {
            // Sorted by series, then time: every bucket series in full, then _count, then _sum.
            foreach (var le in RunBuckets)
            {
                var inBucket = le == "+Inf" || double.Parse(le, CultureInfo.InvariantCulture) >= series.Value;
                Samples(om, "agent_run_duration_seconds_bucket", series.Labels + $",le=\"{le}\"", series.EventsAt, inBucket ? 1 : 0, series.ResetAt);
            }

            Samples(om, "agent_run_duration_seconds_count", series.Labels, series.EventsAt, 1, series.ResetAt);
            Samples(om, "agent_run_duration_seconds_sum", series.Labels, series.EventsAt, series.Value, series.ResetAt);
        }

        om.Append("# TYPE gen_ai_client_operation_duration_seconds histogram\n# UNIT gen_ai_client_operation_duration_seconds seconds\n");
        foreach (var series in Calls())
        {
            Samples(om, "gen_ai_client_operation_duration_seconds_bucket", series.Labels + ",le=\"+Inf\"", series.EventsAt, 1);
            Samples(om, "gen_ai_client_operation_duration_seconds_count", series.Labels, series.EventsAt, 1);
            Samples(om, "gen_ai_client_operation_duration_seconds_sum", series.Labels, series.EventsAt, series.Value);
        }

        om.Append("# TYPE gen_ai_client_token_usage histogram\n");
        foreach (var series in Tokens())
        {
            // One measurement (call) a step carrying Value tokens.
            Samples(om, "gen_ai_client_token_usage_bucket", series.Labels + ",le=\"+Inf\"", series.EventsAt, 1);
            Samples(om, "gen_ai_client_token_usage_count", series.Labels, series.EventsAt, 1);
            Samples(om, "gen_ai_client_token_usage_sum", series.Labels, k => series.EventsAt(k) * (int)series.Value, 1);
        }

        om.Append("# EOF\n");
        return om.ToString();
    }

    private static string Target(char replica) =>
        $"job=\"perfotel-collector\",instance=\"collector-{replica}:8080\",otel_scope_name=\"PerfOtel.Telemetry\"";

    /// <summary>Run histograms: labels, events (runs) at step k (null: series not there yet), duration.</summary>
    private static IEnumerable<Series> Runs()
    {
        yield return new($"{Target('a')},gen_ai_agent_name=\"planner\",agent_run_outcome=\"success\"", k => k % 4 != 0 ? 1 : 0, 3);
        yield return new($"{Target('a')},gen_ai_agent_name=\"planner\",agent_run_outcome=\"failure\",error_type=\"timeout\"", k => k > 0 && k % 4 == 0 ? 1 : 0, 45);
        yield return new($"{Target('b')},gen_ai_agent_name=\"planner\",agent_run_outcome=\"success\"", k => k > 0 && k % 2 == 0 ? 1 : 0, 8);
        yield return new($"{Target('a')},gen_ai_agent_name=\"reviewer\",agent_run_outcome=\"success\"", k => k < 200 ? null : k == 200 ? 3 : k % 8 == 4 ? 1 : 0, 12);
        yield return new($"{Target('a')},gen_ai_agent_name=\"reviewer\",agent_run_outcome=\"blocked\"", k => k < 208 ? null : k % 8 == 0 ? 1 : 0, 0.5);
        yield return new($"{Target('c')},gen_ai_agent_name=\"fixer\",agent_run_outcome=\"success\"", k => k < 362 ? null : 1, 25, FixerResetStep);
    }

    private static IEnumerable<Series> Calls()
    {
        const string Chat = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"";
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"planner\"", k => k > 0 ? 2 : 0, 1.5);
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"planner\",error_type=\"rate_limited\"", k => k < 10 ? null : k % 10 == 0 ? 1 : 0, 0.2);
        yield return new($"{Target('b')},{Chat},gen_ai_agent_name=\"planner\"", k => k > 0 ? 1 : 0, 1.5);
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"reviewer\"", k => k < 200 ? null : k == 200 ? 5 : 1, 2.5);
    }

    /// <summary>Token histograms: Value is the tokens per call; the first scrape of reviewer carries a lump.</summary>
    private static IEnumerable<Series> Tokens()
    {
        const string Chat = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"";
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"planner\",gen_ai_token_type=\"input\"", k => k > 0 ? 1 : 0, 1000);
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"planner\",gen_ai_token_type=\"output\"", k => k > 0 ? 1 : 0, 250);
        yield return new($"{Target('b')},{Chat},gen_ai_agent_name=\"planner\",gen_ai_token_type=\"input\"", k => k > 0 ? 1 : 0, 400);
        yield return new($"{Target('b')},{Chat},gen_ai_agent_name=\"planner\",gen_ai_token_type=\"output\"", k => k > 0 ? 1 : 0, 100);
        // 7000 = 70 × 100 and 1500 = 30 × 50: the lump at birth is a number of calls of the steady size.
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"reviewer\",gen_ai_token_type=\"input\"", k => k < 200 ? null : k == 200 ? 70 : 3, 100);
        yield return new($"{Target('a')},{Chat},gen_ai_agent_name=\"reviewer\",gen_ai_token_type=\"output\"", k => k < 200 ? null : k == 200 ? 30 : 1, 50);
    }

    /// <summary>
    /// The cumulative samples of one series: each step adds events × per-event amount; at
    /// <paramref name="resetAt"/> the process restarted and the counter starts again from zero.
    /// </summary>
    private void Samples(StringBuilder om, string name, string labels, Func<int, int?> eventsAt, double perEvent, int? resetAt = null)
    {
        double total = 0;
        for (var k = 0; k <= LastStep; k++)
        {
            if (eventsAt(k) is not { } events)
            {
                continue;
            }

            total = k == resetAt ? events * perEvent : total + (events * perEvent);
            om.Append(name).Append('{').Append(labels).Append("} ")
                .Append(total.ToString("R", CultureInfo.InvariantCulture)).Append(' ')
                .Append(At(k).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private sealed record Series(string Labels, Func<int, int?> EventsAt, double Value, int? ResetAt = null);
}
