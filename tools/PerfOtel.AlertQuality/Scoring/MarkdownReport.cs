using System.Globalization;
using System.Text;
using PerfOtel.AlertQuality.History;

namespace PerfOtel.AlertQuality.Scoring;

/// <summary>What the report says about the run besides the scores.</summary>
internal sealed record RunFacts(
    string RulesFolder,
    int AlertingRules,
    int RecordingRules,
    int Stages,
    int EvaluationInterval,
    string RecordBackfill,
    string Command,
    IReadOnlyList<string> Notes);

/// <summary>The quality report in Markdown: summary against the targets, per alert, per incident, false alerts.</summary>
internal static class MarkdownReport
{
    public const double PrecisionTarget = 0.95;
    public const double RecallTarget = 0.95;
    public const double CriticalTtdTarget = 120;
    public const double FalsePerAgentWeekTarget = 1;

    public static string Render(GeneratedHistory history, QualityScores scores, RunFacts facts)
    {
        var md = new StringBuilder();
        var c = history.Clock;
        md.Append(CultureInfo.InvariantCulture, $"# Alert quality: seed {history.Options.Seed}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- History: {history.Options.Days:0.##} days from {HistoryClock.Format(c.Start)} UTC, scraped every {c.StepSeconds} s, scored from {HistoryClock.Format(history.ScoreFrom)} ({scores.Weeks:0.##} weeks); {history.Fleet.Agents.Count} agents, {history.SeriesCount:N0} series.\n");
        md.Append(CultureInfo.InvariantCulture, $"- Incidents: {history.Incidents.Count} of {history.Incidents.Select(i => i.Kind.Name).Distinct().Count()} kinds{(history.Unplaced.Count > 0 ? $" ({history.Unplaced.Count} not placed: {string.Join(", ", history.Unplaced)})" : "")}.\n");
        md.Append(CultureInfo.InvariantCulture, $"- Rules: `{facts.RulesFolder}`: {facts.AlertingRules} alerting rules evaluated every {facts.EvaluationInterval} s (or their group's interval), {facts.RecordingRules} recording rules backfilled in {facts.Stages} stages ({facts.RecordBackfill}).\n");
        md.Append(CultureInfo.InvariantCulture, $"- Reproduce: `{facts.Command}`\n\n");

        md.Append("## Summary\n\n| measure | value | target | met |\n| --- | --- | --- | --- |\n");
        var critical = scores.MedianTtd("critical");
        Row(md, "precision (true firing episodes / all)", $"{scores.Precision:0.000} ({scores.TrueEpisodes}/{scores.TrueEpisodes + scores.FalseEpisodes})", "≥ 0.95", scores.Precision >= PrecisionTarget);
        Row(md, "recall (expected alerts that caught their incident)", $"{scores.Recall:0.000} ({scores.Detections}/{scores.ExpectedDetections})", "≥ 0.95", scores.Recall >= RecallTarget);
        Row(md, "incidents caught by at least one expected alert", $"{scores.IncidentRecall:0.000} ({scores.Incidents.Count(i => i.Detected)}/{scores.Incidents.Count})", "", null);
        Row(md, "median time to detect, critical incidents", $"{Duration(critical)} (n={scores.Incidents.Count(i => i.Severity == "critical" && i.Ttd is not null)})", "≤ 2 min", critical is { } m ? m <= CriticalTtdTarget : null);
        var fast = scores.MedianTtd("critical", exceptBurnRates: true);
        Row(md, "median time to detect, critical incidents paged by more than a burn-rate alert (a burn rate waits for its 1-hour window by design)", $"{Duration(fast)} (n={scores.Incidents.Count(i => i.Severity == "critical" && i.Ttd is not null && !i.PagedByBurnRateOnly)})", "≤ 2 min", fast is { } x ? x <= CriticalTtdTarget : null);
        foreach (var severity in new[] { "warning", "info" })
        {
            Row(md, $"median time to detect, {severity} incidents", $"{Duration(scores.MedianTtd(severity))} (n={scores.Incidents.Count(i => i.Severity == severity && i.Ttd is not null)})", "", null);
        }

        Row(md, "of the true episodes: symptoms of the collector's outage (every alert starting during it or 30 min after)", scores.Consequences.ToString(CultureInfo.InvariantCulture), "", null);
        Row(md, "false alerts per agent per week", $"{scores.FalsePerAgentWeek:0.00} ({scores.FalseEpisodes} false episodes)", "≤ 1", scores.FalsePerAgentWeek <= FalsePerAgentWeekTarget);

        md.Append("\n## Per incident kind\n\n");
        md.Append("Recall: expected alerts that caught their incident / expected (an incident of a kind that expects two alerts counts twice). ");
        md.Append("Time to detect: from the fault's start to the first firing of an expected alert of the kind's highest severity.\n\n");
        md.Append("| kind | severity | incidents | caught (any expected alert) | recall | median time to detect |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var kind in scores.Incidents.GroupBy(i => i.Incident.Kind.Name).OrderBy(g => Scorer.Rank(g.First().Severity)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var expected = kind.Sum(i => i.Detections.Count);
            var caught = kind.Sum(i => i.Detections.Count(d => d.Ttd is not null));
            var median = Scorer.Median(kind.Where(i => i.Ttd is not null).Select(i => (double)i.Ttd!.Value));
            md.Append(CultureInfo.InvariantCulture,
                $"| {kind.Key} | {kind.First().Severity} | {kind.Count()} | {kind.Count(i => i.Detected)} | {Ratio(expected == 0 ? null : (double)caught / expected)} ({caught}/{expected}) | {Duration(median)} |\n");
        }

        md.Append("\n## Per alert\n\n");
        md.Append("Recall: incidents (of the kinds that expect the alert) it caught. Episodes: times it fired in the scored range. ");
        md.Append("Time to detect: from the fault's start to the first firing.\n\n");
        md.Append("| alert | severity | for | incidents | caught | recall | episodes | false | precision | median time to detect | false / agent / week |\n");
        md.Append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var a in scores.Alerts.OrderBy(a => Scorer.Rank(a.Rule.Severity)).ThenBy(a => a.Rule.Name, StringComparer.Ordinal))
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {a.Rule.Name}{(a.Rule.Mapped || a.Rule.Name == Scorer.Escalation ? "" : " (unmapped)")} | {a.Rule.Severity} | {Rules.PromDuration.Format(a.Rule.ForSeconds)} | {a.Expected} | {a.Detected} | {Ratio(a.Recall)} | {a.Episodes} | {a.FalseEpisodes} | {Ratio(a.Precision)} | {Duration(a.MedianTtd)} | {a.FalsePerAgentWeek:0.00} |\n");
        }

        md.Append("\n## Incidents\n\n| # | kind | target | start (UTC) | duration | what | caught by (time to detect) | missed by |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var i in scores.Incidents)
        {
            var caught = string.Join(", ", i.Detections.Where(d => d.Ttd is not null).Select(d => $"{d.Alert} ({Duration(d.Ttd)})"));
            var missed = string.Join(", ", i.Detections.Where(d => d.Ttd is null).Select(d => d.Alert));
            md.Append(CultureInfo.InvariantCulture,
                $"| {i.Incident.Id} | {i.Incident.Kind.Name} | {i.Incident.Entity}{(i.Incident.Model is null ? "" : "/" + i.Incident.Model)} | {HistoryClock.Format(i.Incident.Start)} | {Duration(i.Incident.End - i.Incident.Start)} | {i.Incident.Detail} | {caught} | {missed} |\n");
        }

        var falses = scores.Episodes.Where(e => !e.True).OrderBy(e => e.Episode.Alert, StringComparer.Ordinal).ThenBy(e => e.Episode.FiringFrom).ToList();
        md.Append(CultureInfo.InvariantCulture, $"\n## False alerts ({falses.Count(f => f.Verdict != "unmapped")})\n\n");
        if (falses.Count == 0)
        {
            md.Append("None.\n");
        }
        else
        {
            md.Append("Up to 12 per alert.\n\n| alert | labels | firing from (UTC) | firing for | subject | verdict |\n| --- | --- | --- | --- | --- | --- |\n");
            foreach (var alert in falses.GroupBy(f => f.Episode.Alert))
            {
                foreach (var f in alert.Take(12))
                {
                    md.Append(CultureInfo.InvariantCulture,
                        $"| {f.Episode.Alert} | {f.Episode.LabelText.Replace("|", "\\|", StringComparison.Ordinal)} | {HistoryClock.Format(f.Episode.FiringFrom!.Value)} | {Duration(f.Episode.ResolvedAt - f.Episode.FiringFrom!.Value)} | {f.Subject} | {f.Verdict} |\n");
                }

                if (alert.Count() > 12)
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {alert.Key} | ... {alert.Count() - 12} more | | | | |\n");
                }
            }

            md.Append("\nBy subject: ");
            md.Append(string.Join(", ", falses.Where(f => f.Verdict != "unmapped").GroupBy(f => f.Subject).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
            md.Append('\n');
        }

        if (facts.Notes.Count > 0)
        {
            md.Append("\n## Notes\n\n");
            foreach (var note in facts.Notes)
            {
                md.Append("- ").Append(note).Append('\n');
            }
        }

        return md.ToString();
    }

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "-";
        }

        var minutes = (long)Math.Round(s / 60);
        return s switch
        {
            < 120 => $"{s:0} s",
            < 7200 => $"{s / 60:0.#} min",
            _ => $"{minutes / 60} h {minutes % 60} min",
        };
    }

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static void Row(StringBuilder md, string measure, string value, string target, bool? met) =>
        md.Append(CultureInfo.InvariantCulture, $"| {measure} | {value} | {target} | {(met is null ? "" : met.Value ? "yes" : "**no**")} |\n");
}
