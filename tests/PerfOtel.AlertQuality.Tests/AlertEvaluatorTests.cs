using PerfOtel.AlertQuality.Evaluation;
using PerfOtel.AlertQuality.Rules;

namespace PerfOtel.AlertQuality.Tests;

public class AlertEvaluatorTests
{
    private static readonly SortedDictionary<string, string> Labels = new(StringComparer.Ordinal) { ["gen_ai_agent_name"] = "planner", ["severity"] = "warning" };

    private static Rule Alert(string forDuration, string keepFiringFor = "0s") =>
        new("a.yml", "g", 30, null, "X", "up == 0", PromDuration.Parse(forDuration), PromDuration.Parse(keepFiringFor), new Dictionary<string, string> { ["severity"] = "warning" });

    private static long[] Times(params (long From, long To)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Range(0, (int)((r.To - r.From) / 30) + 1).Select(i => r.From + (i * 30L)))];

    [Fact]
    public void An_alert_fires_once_its_expression_held_for_the_for_duration_and_resolves_at_the_first_evaluation_without_it()
    {
        var activations = AlertEvaluator.Activations(Alert("2m"), Labels, Times((1000, 1300)), 30, 10_000).ToList();

        var a = Assert.Single(activations);
        Assert.Equal(1000, a.ActiveAt);
        Assert.Equal(1120, a.FiringFrom);
        Assert.Equal(1330, a.ResolvedAt);
    }

    [Fact]
    public void A_gap_of_one_evaluation_resets_the_pending_time()
    {
        // 1000..1090 (pending 90 s), gap at 1120, 1150..1300: fires at 1150 + 120.
        var activations = AlertEvaluator.Activations(Alert("2m"), Labels, Times((1000, 1090), (1150, 1300)), 30, 10_000).ToList();

        Assert.Equal(2, activations.Count);
        Assert.False(activations[0].Fired);
        Assert.Equal(1270, activations[1].FiringFrom);
    }

    [Fact]
    public void For_zero_fires_at_the_first_evaluation()
    {
        var a = Assert.Single(AlertEvaluator.Activations(Alert("0s"), Labels, Times((1000, 1000)), 30, 10_000));

        Assert.Equal(1000, a.FiringFrom);
        Assert.Equal(1030, a.ResolvedAt);
    }

    [Fact]
    public void Keep_firing_for_bridges_short_gaps_of_a_firing_alert()
    {
        var a = Assert.Single(AlertEvaluator.Activations(Alert("0s", "2m"), Labels, Times((1000, 1100), (1180, 1210)), 30, 10_000));

        Assert.Equal(1000, a.FiringFrom);
        Assert.Equal(1210 + 120 + 30, a.ResolvedAt);
    }

    [Fact]
    public void Durations_parse_as_prometheus_writes_them()
    {
        Assert.Equal(0, PromDuration.Parse("0s"));
        Assert.Equal(90, PromDuration.Parse("1m30s"));
        Assert.Equal(7 * 86400, PromDuration.Parse("7d"));
        Assert.Equal(23 * 3600 + 1800, PromDuration.Parse("23h30m"));
        Assert.Throws<FormatException>(() => PromDuration.Parse("5 minutes"));
        Assert.Equal("1h30m", PromDuration.Format(5400));
    }
}
