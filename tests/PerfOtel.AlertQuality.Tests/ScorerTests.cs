using PerfOtel.AlertQuality.Evaluation;
using PerfOtel.AlertQuality.History;
using PerfOtel.AlertQuality.Scoring;

namespace PerfOtel.AlertQuality.Tests;

public class ScorerTests
{
    private static readonly GeneratedHistory History = HistoryGenerator.Generate(
        Fleet.Default,
        new HistoryOptions { Seed = 5, Days = 3, StepSeconds = 60, Kinds = [IncidentCatalog.Get("llm_error_spike"), IncidentCatalog.Get("collector_down")], IncidentsPerKind = 1 });

    private static readonly ScoredRule[] Rules =
    [
        new("LLMErrorRatioHigh", "warning", 120, 30, true),
        new("LLMErrorSpike", "warning", 120, 30, true),
        new("PerfOtelCollectorDown", "critical", 0, 30, true),
        new("TargetDown", "warning", 60, 30, true),
    ];

    private static Incident Spike => History.Incidents.Single(i => i.Kind.Name == "llm_error_spike");

    private static Incident Down => History.Incidents.Single(i => i.Kind.Name == "collector_down");

    private static AlertActivation Episode(string alert, Incident about, long from, long to, string severity = "warning", Dictionary<string, string>? labels = null) =>
        new(alert, severity, new SortedDictionary<string, string>(labels ?? about.Labels.ToDictionary(), StringComparer.Ordinal) { ["severity"] = severity }, from - 60, from, to);

    [Fact]
    public void Episodes_on_their_incident_are_true_and_detections_are_timed_from_its_start()
    {
        var scores = Scorer.Score(History, Rules, [
            Episode("LLMErrorRatioHigh", Spike, Spike.Start + 180, Spike.End + 60),
            Episode("LLMErrorSpike", Spike, Spike.Start + 240, Spike.End),
            Episode("PerfOtelCollectorDown", Down, Down.Start + 30, Down.End, "critical"),
        ], 3600);

        Assert.Equal(1.0, scores.Precision);
        Assert.Equal(1.0, scores.Recall);
        Assert.Equal(0, scores.FalseEpisodes);
        Assert.Equal(30, scores.MedianTtd("critical"));
        Assert.Equal(180, scores.Incidents.Single(i => i.Incident == Spike).Ttd);
    }

    [Fact]
    public void Episodes_of_another_agent_or_outside_the_window_are_false_and_missing_detections_lower_recall()
    {
        var other = Spike.Labels.ToDictionary();
        other["gen_ai_agent_name"] = Spike.Entity == "planner" ? "fixer" : "planner";
        var scores = Scorer.Score(History, Rules, [
            Episode("LLMErrorRatioHigh", Spike, Spike.Start + 180, Spike.End, labels: other),
            Episode("LLMErrorRatioHigh", Spike, Spike.End + 7200, Spike.End + 7400),
            Episode("PerfOtelCollectorDown", Down, Down.Start, Down.End, "critical"),
            // Symptoms of the collector's outage are not false.
            Episode("TargetDown", Down, Down.Start + 60, Down.End),
        ], 3600);

        Assert.Equal(2, scores.FalseEpisodes);
        Assert.Equal(2.0 / 4, scores.Precision);
        Assert.Equal(1.0 / 3, scores.Recall, 3);
        Assert.Equal(2 / 6.0 / scores.Weeks, scores.FalsePerAgentWeek, 6);
        Assert.Equal(["LLMErrorRatioHigh", "LLMErrorSpike"], scores.Incidents.Single(i => i.Incident == Spike).Detections.Where(d => d.Ttd is null).Select(d => d.Alert));
    }

    [Fact]
    public void An_episode_already_firing_before_the_fault_neither_detects_it_nor_becomes_true()
    {
        var scores = Scorer.Score(History, Rules, [
            Episode("LLMErrorRatioHigh", Spike, Spike.Start - 600, Spike.End),
            Episode("LLMErrorSpike", Spike, Spike.End + (15 * 60) - 30, Spike.End + 3600),
        ], 3600);

        // The first started 10 minutes before the fault: false, no detection. The second started within the kind's
        // 15-minute tail: a (late) detection.
        Assert.Equal(1, scores.FalseEpisodes);
        var detections = scores.Incidents.Single(i => i.Incident == Spike).Detections;
        Assert.Null(detections.Single(d => d.Alert == "LLMErrorRatioHigh").Ttd);
        Assert.Equal(Spike.End - Spike.Start + (15 * 60) - 30, detections.Single(d => d.Alert == "LLMErrorSpike").Ttd);
        // 1 of 3 expected detections (the spike's two alerts, the collector's outage); 1 of 2 episodes true.
        Assert.Equal(1.0 / 3, scores.Recall, 6);
        Assert.Equal(0.5, scores.Precision);
    }

    [Fact]
    public void Episodes_that_started_firing_in_the_warm_up_are_not_scored()
    {
        var scores = Scorer.Score(History, Rules, [Episode("LLMErrorRatioHigh", Spike, History.Clock.Start + 3600, History.Clock.Start + 7200)], 3600);

        Assert.Empty(scores.Episodes);
    }

    [Fact]
    public void An_alert_stuck_on_since_the_warm_up_is_one_false_alert()
    {
        var scores = Scorer.Score(History, Rules, [Episode("LLMErrorRatioHigh", Spike, History.Clock.Start + 3600, History.ScoreFrom + 600)], 3600);

        var episode = Assert.Single(scores.Episodes);
        Assert.False(episode.True);
        Assert.Equal(History.ScoreFrom, episode.Episode.FiringFrom);
        Assert.Equal(1, scores.FalseEpisodes);
    }
}
