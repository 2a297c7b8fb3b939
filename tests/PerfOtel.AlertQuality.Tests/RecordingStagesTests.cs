using PerfOtel.AlertQuality.Rules;

namespace PerfOtel.AlertQuality.Tests;

/// <summary>The dependency order of the repository's own recording rules.</summary>
public class RecordingStagesTests
{
    private static readonly RuleSet Rules = RuleSet.Load(RepoPaths.Of("prometheus", "rules"), 15);

    [Fact]
    public void Every_record_is_backfilled_after_the_records_it_reads()
    {
        var stages = RecordingStages.Plan(Rules);

        var stageOf = stages.Stages.SelectMany((rules, i) => rules.Select(r => (r.Record!, i))).GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.Max(x => x.i));
        Assert.Equal(Rules.Recording.Select(r => r.Record!).Distinct().Order(), stageOf.Keys.Order());
        foreach (var rule in stages.Stages.SelectMany(s => s))
        {
            foreach (var read in RecordingStages.RecordsRead(Rules, rule.Expr).Where(r => r != rule.Record))
            {
                Assert.True(stageOf[read] < stageOf[rule.Record!], $"{rule.Record} (stage {stageOf[rule.Record!] + 1}) reads {read} (stage {stageOf[read] + 1})");
            }
        }

        Assert.All(stages.Stages[0], r => Assert.Empty(RecordingStages.RecordsRead(Rules, r.Expr)));
    }

    [Fact]
    public void Accumulating_records_are_recognised_and_the_known_one_is_replayed()
    {
        var stages = RecordingStages.Plan(Rules);

        Assert.All(stages.SelfReferencing, r => Assert.True(SelfReferencingRules.CanReplay(r), $"{r} reads itself and has no replay"));
    }

    [Fact]
    public void Only_what_alerts_read_is_planned_when_asked()
    {
        var needed = Rules.Alerting.SelectMany(a => RecordingStages.RecordsRead(Rules, a.Expr)).ToList();

        var stages = RecordingStages.Plan(Rules, needed);

        var planned = stages.Stages.SelectMany(s => s).Select(r => r.Record!).ToHashSet();
        Assert.Superset(needed.ToHashSet(), planned);
        Assert.True(planned.Count < Rules.Recording.Count(), "rollups and dashboard-only records are left out");
    }

    [Fact]
    public void Identifiers_ignore_string_literals()
    {
        var ids = RuleSet.Identifiers("sum by (a) (rate(x_total{threshold=\"llm:error\"}[5m])) > on () y:z:w").ToList();

        Assert.Contains("x_total", ids);
        Assert.Contains("y:z:w", ids);
        Assert.DoesNotContain("llm:error", ids);
    }
}
