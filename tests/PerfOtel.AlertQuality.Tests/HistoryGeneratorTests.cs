using System.Globalization;
using System.Text.RegularExpressions;
using PerfOtel.AlertQuality.History;

namespace PerfOtel.AlertQuality.Tests;

public partial class HistoryGeneratorTests
{
    private static readonly HistoryOptions Small = new() { Seed = 3, Days = 1.25, StepSeconds = 60, WarmupDays = 1 };

    [Fact]
    public void A_seed_gives_the_same_incidents_and_another_seed_other_ones()
    {
        var a = HistoryGenerator.Generate(Fleet.Default, Small with { Days = 4 });
        var b = HistoryGenerator.Generate(Fleet.Default, Small with { Days = 4 });
        var c = HistoryGenerator.Generate(Fleet.Default, Small with { Days = 4, Seed = 4 });

        Assert.Equal(a.IncidentsJson(), b.IncidentsJson());
        Assert.NotEqual(a.IncidentsJson(), c.IncidentsJson());
        Assert.NotEmpty(a.Incidents);
    }

    [Fact]
    public void Incidents_start_after_the_warm_up_and_end_inside_the_history_without_overlapping_on_one_entity()
    {
        var history = HistoryGenerator.Generate(Fleet.Default, Small with { Days = 6 });

        Assert.All(history.Incidents, i =>
        {
            Assert.True(i.Start - i.Lead >= history.ScoreFrom, i.Describe());
            Assert.True(i.End < history.Clock.End, i.Describe());
            Assert.True(i.End > i.Start, i.Describe());
        });
        foreach (var entity in history.Incidents.GroupBy(i => i.Entity))
        {
            var ordered = entity.OrderBy(i => i.Start).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                Assert.True(ordered[k].Start - ordered[k].Lead > ordered[k - 1].End, $"{ordered[k - 1].Describe()} and {ordered[k].Describe()} overlap");
            }
        }

        // Every kind of the catalog is placed in a history this long.
        Assert.Empty(history.Unplaced);
        Assert.Equal(IncidentCatalog.All.Select(k => k.Name).Order(), history.Incidents.Select(i => i.Kind.Name).Distinct().Order());
    }

    [Fact]
    public void The_backfill_input_is_openmetrics_with_float_le_cumulative_buckets_and_seconds()
    {
        var history = HistoryGenerator.Generate(Fleet.Default, Small with { Kinds = [IncidentCatalog.Get("collector_down")] });
        using var folder = new TempFolder();

        var files = history.Write(folder.Path);

        Assert.Equal(4, files.Count);
        var runs = File.ReadAllLines(files.Single(f => f.Path.EndsWith(HistoryGenerator.RunsFile, StringComparison.Ordinal)).Path);
        Assert.Equal("# TYPE agent_run_duration_seconds histogram", runs[0]);
        Assert.Equal("# EOF", runs[^1]);
        var samples = runs.Where(l => !l.StartsWith('#')).Select(Parse).ToList();
        Assert.All(samples, s => Assert.InRange(s.Time, history.Clock.Start, history.Clock.End)); // seconds, not ms
        var les = samples.Where(s => s.Name == "agent_run_duration_seconds_bucket").Select(s => Le().Match(s.Labels).Groups[1].Value).Distinct().ToList();
        Assert.Equal(["1.0", "2.0", "5.0", "10.0", "20.0", "30.0", "60.0", "120.0", "300.0", "600.0", "1200.0", "1800.0", "3600.0", "7200.0", "+Inf"], les);

        // Per series: time strictly increasing; within an epoch of the collector, values never decrease.
        var restart = history.Incidents.Single().End;
        foreach (var series in samples.GroupBy(s => s.Name + s.Labels))
        {
            var points = series.ToList();
            for (var k = 1; k < points.Count; k++)
            {
                Assert.True(points[k].Time > points[k - 1].Time, series.Key);
                Assert.True(points[k].Value >= points[k - 1].Value || points[k].Time >= restart, $"{series.Key} at {points[k].Time}: {points[k - 1].Value} then {points[k].Value} (restart {restart})");
            }
        }

        // Buckets are cumulative: at every scrape, le="60.0" <= le="+Inf" == _count.
        var planner = samples.Where(s => s.Labels.Contains("gen_ai_agent_name=\"planner\"", StringComparison.Ordinal) && s.Labels.Contains("\"success\"", StringComparison.Ordinal)).ToList();
        var at = planner.Select(s => s.Time).Max();
        double Value(string name, string le) => planner.Single(s => s.Time == at && s.Name == name && (le.Length == 0 || s.Labels.Contains($"le=\"{le}\"", StringComparison.Ordinal))).Value;
        Assert.True(Value("agent_run_duration_seconds_bucket", "60.0") <= Value("agent_run_duration_seconds_bucket", "+Inf"));
        Assert.Equal(Value("agent_run_duration_seconds_count", ""), Value("agent_run_duration_seconds_bucket", "+Inf"));
        Assert.True(Value("agent_run_duration_seconds_count", "") > 0);
    }

    [Fact]
    public void Thresholds_are_the_collectors_defaults_plus_the_fleets_overrides()
    {
        var history = HistoryGenerator.Generate(Fleet.Default, Small with { Days = 0.1, Kinds = [] });
        using var folder = new TempFolder();

        var other = File.ReadAllLines(history.Write(folder.Path).Single(f => f.Path.EndsWith(HistoryGenerator.OtherFile, StringComparison.Ordinal)).Path);

        var thresholds = other.Where(l => l.StartsWith("perfotel_alert_threshold{", StringComparison.Ordinal)).Select(Parse)
            .GroupBy(s => s.Labels).ToDictionary(g => Regex.Match(g.Key, "threshold=\"([^\"]+)\"(,gen_ai_agent_name=\"([^\"]+)\")?").Groups switch { var m => m[1].Value + (m[3].Success ? "@" + m[3].Value : "") }, g => g.First().Value);
        foreach (var (name, value) in PerfOtel.Collector.Thresholds.ThresholdCatalog.Defaults)
        {
            Assert.Equal(value, thresholds[name]);
        }

        Assert.Equal(0.15, thresholds["llm_error_ratio@triager"]);
    }

    private static (string Name, string Labels, double Value, long Time) Parse(string line)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var close = line.LastIndexOf('}');
        var parts = line[(close + 2)..].Split(' ');
        return (line[..brace], line[(brace + 1)..close], double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("le=\"([^\"]+)\"")]
    private static partial Regex Le();
}
