using System.Diagnostics;
using System.Globalization;
using PerfOtel.AlertQuality.Evaluation;
using PerfOtel.AlertQuality.History;
using PerfOtel.AlertQuality.Prometheus;
using PerfOtel.AlertQuality.Rules;
using PerfOtel.AlertQuality.Scoring;
using PerfOtel.Collector.Thresholds;

namespace PerfOtel.AlertQuality;

/// <summary>Everything a run needs besides the history's own options.</summary>
internal sealed record PipelineOptions
{
    public required string RulesFolder { get; init; }

    /// <summary>The evaluation interval of groups without their own (the global one of prometheus.yml).</summary>
    public required int EvaluationInterval { get; init; }

    /// <summary>Backfill only the records the alerts read (and what those read), not every recording rule.</summary>
    public bool NeededRecordsOnly { get; init; }

    public RecordingBackfillMode RecordBackfill { get; init; } = RecordingBackfillMode.Query;

    /// <summary>Where to work (kept); null: a temporary folder, deleted at the end.</summary>
    public string? WorkFolder { get; init; }

    public string Command { get; init; } = "";

    /// <summary>Start from the history's blocks left in <see cref="WorkFolder"/> by an earlier run of the same history.</summary>
    public bool ReuseHistory { get; init; }
}

/// <summary>The result of a run: the history, the alerts' activations and their scores.</summary>
internal sealed record PipelineResult(GeneratedHistory History, IReadOnlyList<AlertActivation> Activations, QualityScores Scores, string Report);

/// <summary>
/// Generate a labelled history, backfill it into a real Prometheus (promtool), backfill the recording rules stage by
/// stage, evaluate every alert over the range through the HTTP API, apply for:, and score against the labels.
/// </summary>
internal static class Pipeline
{
    /// <summary>The first 12 hex digits of a SHA-256 over the rule files (names and contents): which rules were scored.</summary>
    private static string RulesFingerprint(string folder)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(folder, "*.yml").Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    /// <summary>What makes two histories identical (the generator is deterministic for these).</summary>
    private static string HistoryKey(HistoryOptions o) => string.Create(
        CultureInfo.InvariantCulture,
        $"v1 seed={o.Seed} days={o.Days} step={o.StepSeconds} start={o.Start} warmup={o.WarmupDays} kinds={string.Join(',', o.Kinds.Select(k => k.Name))} per-kind={o.IncidentsPerKind}");

    /// <summary>Hard-links a block folder (blocks are immutable; a copy when links are not possible).</summary>
    private static async Task LinkAsync(string from, string to, CancellationToken cancellationToken)
    {
        var (exit, _) = await Tool.RunAsync("cp", ["-al", from, to], Path.GetDirectoryName(from)!, TimeSpan.FromMinutes(5), cancellationToken);
        if (exit != 0)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }
    }

    /// <summary>Alerts two at a time; results in rule order.</summary>
    private static async Task<IReadOnlyList<AlertActivation>[]> EvaluateAsync(IEnumerable<Rule> alerts, PrometheusApi api, HistoryClock clock, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(2);
        return await Task.WhenAll(alerts.Select(async alert =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await AlertEvaluator.EvaluateAsync(alert, api, clock.Start, clock.End, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    public static async Task<PipelineResult> RunAsync(HistoryOptions historyOptions, PipelineOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var clockTotal = Stopwatch.StartNew();
        var rules = RuleSet.Load(options.RulesFolder, options.EvaluationInterval);
        var alerts = rules.Alerting.ToList();
        if (alerts.Count == 0)
        {
            throw new InvalidOperationException($"no alerting rule in {options.RulesFolder}");
        }

        var needed = options.NeededRecordsOnly ? alerts.SelectMany(a => RecordingStages.RecordsRead(rules, a.Expr)) : null;
        var stages = RecordingStages.Plan(rules, needed);

        var sw = Stopwatch.StartNew();
        var history = HistoryGenerator.Generate(Fleet.Default, historyOptions);
        log($"generated {history.Options.Days:0.##} days x {history.SeriesCount:N0} series, {history.Incidents.Count} incidents ({sw.Elapsed.TotalSeconds:0} s)");

        var work = options.WorkFolder ?? Directory.CreateTempSubdirectory("perfotel-alert-quality-").FullName;
        Directory.CreateDirectory(work);
        var data = Path.Combine(work, "data");
        Directory.CreateDirectory(data);
        try
        {
            // The history's own blocks are kept apart and linked into Prometheus' folder: Prometheus merges
            // overlapping blocks (history, then each stage of records) into new ones, and a later run of the same
            // history (--reuse-history, to score edited rules) starts again from the pristine ones.
            var key = HistoryKey(historyOptions);
            var pristine = Path.Combine(work, "history-blocks");
            var keyFile = Path.Combine(work, "history-blocks.key");
            foreach (var entry in Directory.GetFileSystemEntries(data))
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }

            if (options.ReuseHistory && File.Exists(keyFile) && await File.ReadAllTextAsync(keyFile, cancellationToken) == key && Directory.Exists(pristine))
            {
                log($"reusing the history's blocks in {pristine}");
            }
            else
            {
                if (Directory.Exists(pristine))
                {
                    Directory.Delete(pristine, recursive: true);
                }

                Directory.CreateDirectory(pristine);
                sw.Restart();
                var files = history.Write(work);
                log($"wrote {files.Sum(f => f.Samples):N0} samples in {files.Count} OpenMetrics files ({sw.Elapsed.TotalSeconds:0} s)");
                sw.Restart();
                await Promtool.FromOpenMetricsAsync([.. files.Select(f => f.Path)], pristine, cancellationToken);
                foreach (var (path, _) in files)
                {
                    File.Delete(path);
                }

                log($"promtool create-blocks-from openmetrics ({sw.Elapsed.TotalSeconds:0} s)");
                await File.WriteAllTextAsync(keyFile, key, cancellationToken);
            }

            foreach (var block in Directory.GetDirectories(pristine))
            {
                await LinkAsync(block, Path.Combine(data, Path.GetFileName(block)), cancellationToken);
            }

            await using var server = await PrometheusServer.StartAsync(data, work, cancellationToken);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(15) };
            var backfill = new RecordingBackfill(server, http, data, work, history.Clock, log);
            await backfill.RunAsync(stages, options.RecordBackfill, cancellationToken);

            sw.Restart();
            var firstRound = alerts.Where(a => !RuleSet.ReadsAlertState(a)).ToList();
            var secondRound = alerts.Except(firstRound).ToList();
            var activations = new List<AlertActivation>();
            foreach (var result in await EvaluateAsync(firstRound, new PrometheusApi(http, server.Url), history.Clock, cancellationToken))
            {
                activations.AddRange(result);
            }

            if (secondRound.Count > 0)
            {
                // Alerts on alert state (escalation) read ALERTS / ALERTS_FOR_STATE: backfill what the first round
                // would have written, then evaluate them.
                var steps = firstRound.ToDictionary(a => a.Alert!, a => a.IntervalSeconds, StringComparer.Ordinal);
                var state = Path.Combine(work, "alert-state.om");
                var samples = await AlertStateBackfill.WriteAsync(state, history.Clock, activations.Select(a => (a, steps[a.Alert])), cancellationToken);
                if (samples > 0)
                {
                    await Promtool.FromOpenMetricsAsync([state], data, cancellationToken);
                    await server.RestartAsync(cancellationToken);
                }

                File.Delete(state);
                foreach (var result in await EvaluateAsync(secondRound, new PrometheusApi(http, server.Url), history.Clock, cancellationToken))
                {
                    activations.AddRange(result);
                }
            }

            log($"evaluated {alerts.Count} alerts: {activations.Count(a => a.Fired)} firing episodes ({sw.Elapsed.TotalSeconds:0} s)");

            var scored = alerts.Select(a => new ScoredRule(a.Alert!, a.Severity, a.ForSeconds, a.IntervalSeconds, IncidentCatalog.KnownAlerts.Contains(a.Alert!))).ToList();
            var escalation = (long)ThresholdCatalog.Defaults["warning_escalation_seconds"];
            var scores = Scorer.Score(history, scored, activations, escalation);

            var notes = new List<string>(backfill.Warnings);
            foreach (var unmapped in scored.Where(r => !r.Mapped && r.Name != Scorer.Escalation))
            {
                notes.Add($"{unmapped.Name} is not named by any incident kind (History/IncidentCatalog.cs): its episodes are listed, not scored.");
            }

            foreach (var missing in IncidentCatalog.KnownAlerts.Where(k => !scored.Any(r => r.Name == k)))
            {
                notes.Add($"{missing} is expected by the incident catalog but no rule defines it: its incidents count as missed.");
            }

            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Run time {clockTotal.Elapsed.TotalMinutes:0.0} min."));
            var facts = new RunFacts(
                $"{options.RulesFolder}` (sha256 of the files `{RulesFingerprint(options.RulesFolder)}",
                alerts.Count,
                stages.Stages.Sum(s => s.Count),
                stages.Stages.Count,
                options.EvaluationInterval,
                options.RecordBackfill == RecordingBackfillMode.Query ? "query_range, then create-blocks-from openmetrics" : "promtool create-blocks-from rules",
                options.Command,
                notes);
            return new PipelineResult(history, activations, scores, MarkdownReport.Render(history, scores, facts));
        }
        finally
        {
            if (options.WorkFolder is null)
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
