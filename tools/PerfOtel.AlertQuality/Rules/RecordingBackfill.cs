using System.Globalization;
using System.Text;
using PerfOtel.AlertQuality.History;
using PerfOtel.AlertQuality.Prometheus;

namespace PerfOtel.AlertQuality.Rules;

/// <summary>How recorded series are backfilled, stage by stage.</summary>
internal enum RecordingBackfillMode
{
    /// <summary>
    /// The tool evaluates each rule with query_range (what promtool's rule importer does) and writes the results as
    /// OpenMetrics: one block per stage. The default: promtool's importer writes one block per rule and 2 hours.
    /// </summary>
    Query,

    /// <summary><c>promtool tsdb create-blocks-from rules</c> for each stage (slow; same values).</summary>
    Promtool,
}

/// <summary>
/// Backfills the recording rules over the history in dependency order (<see cref="RecordingStages"/>), restarting
/// Prometheus after each stage so that the next one reads it.
/// </summary>
internal sealed class RecordingBackfill(PrometheusServer server, HttpClient http, string dataFolder, string workFolder, HistoryClock clock, Action<string> log)
{
    public List<string> Warnings { get; } = [];

    public async Task RunAsync(RecordingStages stages, RecordingBackfillMode mode, CancellationToken cancellationToken)
    {
        for (var s = 0; s < stages.Stages.Count; s++)
        {
            var started = DateTime.UtcNow;
            var rules = stages.Stages[s];
            var replayed = rules.Where(r => stages.SelfReferencing.Contains(r.Record!)).ToList();
            var queried = rules.Except(replayed).ToList();
            foreach (var rule in replayed.ToList())
            {
                if (!SelfReferencingRules.CanReplay(rule.Record!))
                {
                    Warnings.Add($"{rule.Record} reads its own output and the backfill has no replay for it: only the branch that does not read it is backfilled (as promtool would)");
                    queried.Add(rule);
                    replayed.Remove(rule);
                }
                else if (SelfReferencingRules.Mismatch(rule) is { } warning)
                {
                    Warnings.Add(warning);
                }
            }

            var api = new PrometheusApi(http, server.Url);
            var input = Path.Combine(workFolder, $"records-stage-{s + 1}.om");
            long samples;
            await using (var stream = new FileStream(input, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var writer = new OpenMetricsWriter(stream, clock.TimeAt, clock.Steps);
                if (mode == RecordingBackfillMode.Query)
                {
                    // Queries run two at a time (Prometheus uses a core per query); results are written in rule order.
                    var families = queried.GroupBy(r => r.Record!, StringComparer.Ordinal).ToList();
                    using var slots = new SemaphoreSlim(2);
                    var results = families.SelectMany(f => f).ToDictionary(r => r, r => QueryAsync(api, r, slots, cancellationToken));
                    foreach (var family in families)
                    {
                        var seen = new HashSet<string>(StringComparer.Ordinal);
                        foreach (var rule in family)
                        {
                            Write(writer, rule, await results[rule], seen);
                            results.Remove(rule);
                        }
                    }
                }

                foreach (var rule in replayed)
                {
                    var (from, to) = Range(rule);
                    Write(writer, rule, await SelfReferencingRules.ReplayAsync(rule, api, from, to, cancellationToken), new HashSet<string>(StringComparer.Ordinal));
                }

                writer.End();
                samples = writer.Samples;
            }

            if (samples > 0)
            {
                await Promtool.FromOpenMetricsAsync([input], dataFolder, cancellationToken);
            }

            File.Delete(input);
            if (mode == RecordingBackfillMode.Promtool && queried.Count > 0)
            {
                await PromtoolStageAsync(s + 1, queried, cancellationToken);
            }

            await server.RestartAsync(cancellationToken);
            log(string.Create(CultureInfo.InvariantCulture, $"recording stage {s + 1}: {rules.Count} rules, {(mode == RecordingBackfillMode.Query ? samples : 0):N0} samples via query_range{(mode == RecordingBackfillMode.Promtool ? ", the rest via promtool" : "")}, {(DateTime.UtcNow - started).TotalSeconds:0} s"));
        }
    }

    private async Task<IReadOnlyList<RangeSeries>> QueryAsync(PrometheusApi api, Rule rule, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            var (from, to) = Range(rule);
            var timer = System.Diagnostics.Stopwatch.StartNew();
            var result = await api.QueryRangeAsync(rule.Expr, from, to, rule.IntervalSeconds, cancellationToken);
            if (timer.Elapsed.TotalSeconds >= 20)
            {
                log(string.Create(CultureInfo.InvariantCulture, $"  {rule.Record} ({rule.File}): {timer.Elapsed.TotalSeconds:0} s"));
            }

            return result;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Evaluation times of the rule's group over the whole history (<see cref="EvaluationSchedule"/>).</summary>
    private (long From, long To) Range(Rule rule) => (EvaluationSchedule.First(rule, clock.Start), clock.End);

    private static void Write(OpenMetricsWriter writer, Rule rule, IReadOnlyList<RangeSeries> result, HashSet<string> seen)
    {
        foreach (var series in result)
        {
            var labels = new SortedDictionary<string, string>(series.Labels, StringComparer.Ordinal);
            foreach (var (k, v) in rule.Labels)
            {
                labels[k] = v;
            }

            var key = RangeSeries.LabelKey(labels);
            if (!seen.Add(key))
            {
                continue; // Prometheus fails such an evaluation (duplicate series): keep the first.
            }

            var prefix = OpenMetricsWriter.Prefix(rule.Record!, key);
            for (var i = 0; i < series.Times.Count; i++)
            {
                writer.SampleAt(prefix, series.Values[i], series.Times[i]);
            }
        }
    }

    private async Task PromtoolStageAsync(int stage, IReadOnlyList<Rule> rules, CancellationToken cancellationToken)
    {
        var file = Path.Combine(workFolder, $"records-stage-{stage}.rules.yml");
        var yaml = new StringBuilder("groups:\n");
        foreach (var group in rules.GroupBy(r => (r.File, r.Group, r.IntervalSeconds)))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: \"{group.Key.File}:{group.Key.Group}\"\n    interval: {group.Key.IntervalSeconds}s\n    rules:\n");
            foreach (var rule in group)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"      - record: \"{rule.Record}\"\n        expr: |\n");
                foreach (var line in rule.Expr.TrimEnd().Split('\n'))
                {
                    yaml.Append("          ").Append(line).Append('\n');
                }

                if (rule.Labels.Count > 0)
                {
                    yaml.Append("        labels:\n");
                    foreach (var (k, v) in rule.Labels)
                    {
                        yaml.Append(CultureInfo.InvariantCulture, $"          {k}: \"{v.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n");
                    }
                }
            }
        }

        await File.WriteAllTextAsync(file, yaml.ToString(), cancellationToken);
        var output = Path.Combine(workFolder, $"records-stage-{stage}-blocks");
        await Promtool.FromRulesAsync(file, clock.Start, clock.End, server.Url, rules.Min(r => r.IntervalSeconds), output, cancellationToken);
        foreach (var block in Directory.GetDirectories(output))
        {
            Directory.Move(block, Path.Combine(dataFolder, Path.GetFileName(block)));
        }

        Directory.Delete(output, recursive: true);
    }
}
