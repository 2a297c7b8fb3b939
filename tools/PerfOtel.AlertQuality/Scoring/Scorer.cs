using PerfOtel.AlertQuality.Evaluation;
using PerfOtel.AlertQuality.History;
using PerfOtel.AlertQuality.Rules;

namespace PerfOtel.AlertQuality.Scoring;

/// <summary>An alert rule as scored: its name, severity, for: and whether the incident catalog knows it.</summary>
internal sealed record ScoredRule(string Name, string Severity, int ForSeconds, int IntervalSeconds, bool Mapped);

/// <summary>A firing episode and the verdict on it.</summary>
internal sealed record EpisodeVerdict(AlertActivation Episode, Incident? Cause, string Verdict, string Subject)
{
    public bool True => Cause is not null;
}

/// <summary>Whether (and when) one expected alert caught one incident; Ttd null: missed.</summary>
internal sealed record Detection(Incident Incident, string Alert, string Severity, long? Ttd);

internal sealed record AlertScore(
    ScoredRule Rule,
    int Expected,
    int Detected,
    int Episodes,
    int TrueEpisodes,
    double? MedianTtd,
    double FalsePerAgentWeek)
{
    public int FalseEpisodes => Episodes - TrueEpisodes;

    public double? Recall => Expected == 0 ? null : (double)Detected / Expected;

    public double? Precision => Episodes == 0 ? null : (double)TrueEpisodes / Episodes;
}

internal sealed record IncidentScore(Incident Incident, string Severity, IReadOnlyList<Detection> Detections)
{
    public bool Detected => Detections.Any(d => d.Ttd is not null);

    /// <summary>Time to the first detection by an expected alert of the incident's severity.</summary>
    public long? Ttd => Detections.Where(d => d.Severity == Severity && d.Ttd is not null).Select(d => d.Ttd).Min();

    /// <summary>Its pages are burn-rate alerts only (slow by design: they wait for their long window).</summary>
    public bool PagedByBurnRateOnly => Detections.Where(d => d.Severity == "critical").All(d => d.Alert.EndsWith("FastBurn", StringComparison.Ordinal));
}

internal sealed class QualityScores
{
    public required IReadOnlyList<AlertScore> Alerts { get; init; }

    public required IReadOnlyList<IncidentScore> Incidents { get; init; }

    public required IReadOnlyList<EpisodeVerdict> Episodes { get; init; }

    public required double Weeks { get; init; }

    public required int Agents { get; init; }

    public IEnumerable<EpisodeVerdict> Mapped => Episodes.Where(e => e.Verdict != "unmapped");

    public int TrueEpisodes => Mapped.Count(e => e.True);

    public int FalseEpisodes => Mapped.Count(e => !e.True);

    /// <summary>True episodes that are consequences, not detections: symptoms of the collector's outage.</summary>
    public int Consequences => Mapped.Count(e => e.Verdict == "symptom");

    public double Precision => Mapped.Any() ? (double)TrueEpisodes / Mapped.Count() : 1;

    public int ExpectedDetections => Incidents.Sum(i => i.Detections.Count);

    public int Detections => Incidents.Sum(i => i.Detections.Count(d => d.Ttd is not null));

    public double Recall => ExpectedDetections == 0 ? 1 : (double)Detections / ExpectedDetections;

    public double IncidentRecall => Incidents.Count == 0 ? 1 : (double)Incidents.Count(i => i.Detected) / Incidents.Count;

    public double FalsePerAgentWeek => FalseEpisodes / (double)Agents / Weeks;

    public double? MedianTtd(string severity, bool exceptBurnRates = false) => Scorer.Median(Incidents
        .Where(i => i.Severity == severity && i.Ttd is not null && !(exceptBurnRates && i.PagedByBurnRateOnly))
        .Select(i => (double)i.Ttd!.Value));
}

/// <summary>
/// Scores firing episodes against the incidents of a history. An episode is true when it starts firing in the window
/// [start - lead, end + tail] of an incident that expects or accepts that alert, with matching labels (every label both carry is equal), or starts in
/// the shadow of a fault that blinds everything (collector down: every alert starting during it or 30 minutes after);
/// else false. An expected alert detects an incident when one of its matching episodes fires in
/// [start - lead, end + tail]; time to detect is from the start.
/// </summary>
internal static class Scorer
{
    public const string Escalation = "AlertEscalated";
    private static readonly TimeSpan MaskTail = TimeSpan.FromMinutes(30);

    public static QualityScores Score(GeneratedHistory history, IReadOnlyList<ScoredRule> rules, IReadOnlyList<AlertActivation> activations, long escalationSeconds)
    {
        var from = history.ScoreFrom;
        var weeks = (history.Clock.End - from) / (7 * 86400.0);
        var agents = history.Fleet.Agents.Count;
        var ruleByName = rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
        // Episodes firing in the scored range; one that started in the warm-up and is still firing counts from the
        // first scored instant (an alert stuck on is one false alert, not none).
        var fired = activations.Where(a => a.Fired && a.ResolvedAt > from).Select(a => a.FiringFrom >= from ? a : a with { FiringFrom = from, ActiveAt = Math.Max(a.ActiveAt, from) }).ToList();

        var verdicts = new List<EpisodeVerdict>();
        foreach (var episode in fired.Where(e => e.Alert != Escalation))
        {
            var mapped = ruleByName.TryGetValue(episode.Alert, out var rule) && rule.Mapped;
            var cause = mapped ? Cause(history.Incidents, episode.Alert, episode.Labels, episode.FiringFrom!.Value) : (null, "unmapped");
            verdicts.Add(new EpisodeVerdict(episode, cause.Incident, cause.Role, Subject(episode.Labels)));
        }

        // Escalations are true when the warning they escalate was.
        var escalationDetections = new List<(AlertActivation Warning, long? Ttd)>();
        var escalations = fired.Where(e => e.Alert == Escalation).ToList();
        foreach (var episode in escalations)
        {
            var warningName = episode.Labels.GetValueOrDefault("escalated_alertname") ?? "";
            var warning = verdicts.FirstOrDefault(v =>
                v.Episode.Alert == warningName && SameLabels(v.Episode, episode) && v.Episode.ActiveAt <= episode.FiringFrom && episode.FiringFrom <= v.Episode.ResolvedAt);
            verdicts.Add(new EpisodeVerdict(episode, warning?.Cause, warning is null ? "false (no warning)" : warning.True ? "escalation" : "false (warning false)", Subject(episode.Labels)));
        }

        if (ruleByName.TryGetValue(Escalation, out var escalationRule))
        {
            foreach (var warning in verdicts.Where(v => v.True && v.Episode.Severity == "warning" && v.Episode.Alert != Escalation && v.Episode.ResolvedAt - v.Episode.ActiveAt > escalationSeconds + escalationRule.IntervalSeconds).ToList())
            {
                var due = warning.Episode.ActiveAt + escalationSeconds;
                var caught = escalations.Where(e => e.Labels.GetValueOrDefault("escalated_alertname") == warning.Episode.Alert && SameLabels(warning.Episode, e) && e.FiringFrom < warning.Episode.ResolvedAt + 60 && e.ResolvedAt > due)
                    .Select(e => (long?)Math.Max(0, e.FiringFrom!.Value - due)).Min();
                escalationDetections.Add((warning.Episode, caught));
            }
        }

        var incidentScores = new List<IncidentScore>();
        foreach (var incident in history.Incidents)
        {
            var detections = new List<Detection>();
            foreach (var alert in incident.Kind.Expected)
            {
                var severity = ruleByName.TryGetValue(alert, out var r) ? r.Severity : "missing";
                var windowFrom = incident.Start - incident.Lead;
                var windowTo = incident.End + (long)incident.Kind.Tail.TotalSeconds;
                // The episode must start firing in the window: one already firing before the fault is not its detection.
                var first = fired.Where(e => e.Alert == alert && Matches(incident.Labels, e.Labels) && e.FiringFrom >= windowFrom && e.FiringFrom < windowTo)
                    .Select(e => (long?)e.FiringFrom!.Value).Min();
                detections.Add(new Detection(incident, alert, severity, first is { } f ? Math.Max(0, f - incident.Start) : null));
            }

            var incidentSeverity = detections.Select(d => d.Severity).OrderBy(Rank).FirstOrDefault() ?? "none";
            incidentScores.Add(new IncidentScore(incident, incidentSeverity, detections));
        }

        var alertScores = new List<AlertScore>();
        foreach (var rule in rules)
        {
            var episodes = verdicts.Where(v => v.Episode.Alert == rule.Name).ToList();
            int expected, detected;
            double? median;
            if (rule.Name == Escalation)
            {
                expected = escalationDetections.Count;
                detected = escalationDetections.Count(d => d.Ttd is not null);
                median = Median(escalationDetections.Where(d => d.Ttd is not null).Select(d => (double)d.Ttd!.Value));
            }
            else
            {
                var mine = incidentScores.SelectMany(i => i.Detections).Where(d => d.Alert == rule.Name).ToList();
                expected = mine.Count;
                detected = mine.Count(d => d.Ttd is not null);
                median = Median(mine.Where(d => d.Ttd is not null).Select(d => (double)d.Ttd!.Value));
            }

            var falseCount = episodes.Count(e => !e.True && e.Verdict != "unmapped");
            alertScores.Add(new AlertScore(rule, expected, detected, episodes.Count, episodes.Count(e => e.True), median, falseCount / (double)agents / weeks));
        }

        return new QualityScores
        {
            Alerts = alertScores,
            Incidents = incidentScores,
            Episodes = verdicts,
            Weeks = weeks,
            Agents = agents,
        };
    }

    public static int Rank(string severity) => severity switch
    {
        "critical" => 0,
        "warning" => 1,
        "info" => 2,
        _ => 3,
    };

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Every label the incident and the episode both carry is equal.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> incident, IReadOnlyDictionary<string, string> episode) =>
        incident.All(l => !episode.TryGetValue(l.Key, out var v) || v == l.Value);

    private static (Incident? Incident, string Role) Cause(IReadOnlyList<Incident> incidents, string alert, SortedDictionary<string, string> labels, long firingFrom)
    {
        foreach (var incident in incidents)
        {
            var from = incident.Start - incident.Lead;
            if (incident.Kind.Expected.Contains(alert) && Matches(incident.Labels, labels) && firingFrom >= from && firingFrom < incident.End + (long)incident.Kind.Tail.TotalSeconds)
            {
                return (incident, "expected");
            }

            if (incident.Kind.Acceptable.FirstOrDefault(a => a.Alert == alert) is { } acceptable && Matches(incident.Labels, labels)
                && firingFrom >= from && firingFrom < incident.End + (long)acceptable.Tail.TotalSeconds)
            {
                return (incident, "acceptable");
            }
        }

        foreach (var incident in incidents.Where(i => i.Kind.MasksEverything))
        {
            if (firingFrom >= incident.Start && firingFrom < incident.End + (long)MaskTail.TotalSeconds)
            {
                return (incident, "symptom");
            }
        }

        return (null, "false");
    }

    private static bool SameLabels(AlertActivation warning, AlertActivation escalation) =>
        warning.Labels.Where(l => l.Key != "severity").All(l => escalation.Labels.GetValueOrDefault(l.Key) == l.Value);

    /// <summary>Whom a false alert bothers: its agent, else its team, else the fleet.</summary>
    private static string Subject(SortedDictionary<string, string> labels) =>
        labels.TryGetValue("gen_ai_agent_name", out var agent) ? agent
        : labels.TryGetValue("agent_team", out var team) ? "team " + team
        : "fleet";
}
