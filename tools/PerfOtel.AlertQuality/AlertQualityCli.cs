using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PerfOtel.AlertQuality.History;
using PerfOtel.AlertQuality.Rules;

namespace PerfOtel.AlertQuality;

/// <summary>
/// <c>perfotel-alert-quality run</c> (the whole measurement) and <c>generate</c> (only the labelled history).
/// </summary>
internal static class AlertQualityCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("PerfOtel alert quality: labelled fleet histories, backfilled into a real Prometheus, every alert rule scored against them.");
        var history = new HistoryArguments();

        var rules = new Option<string>("--rules") { Description = "Folder of the rule files (default: prometheus/rules of the repository)" };
        var config = new Option<string>("--prometheus-config") { Description = "prometheus.yml whose global evaluation_interval applies to groups without their own (default: the repository's)" };
        var evalInterval = new Option<string?>("--eval-interval") { Description = "Evaluation interval of groups without their own, overriding prometheus.yml (15s, 30s)" };
        var records = new Option<string>("--records") { Description = "Recording rules to backfill: all, or needed (only what the alerts read)", DefaultValueFactory = _ => "all" };
        records.AcceptOnlyFromAmong("all", "needed");
        var recordBackfill = new Option<string>("--record-backfill") { Description = "query (query_range, one block per stage) or promtool (create-blocks-from rules; slow)", DefaultValueFactory = _ => "query" };
        recordBackfill.AcceptOnlyFromAmong("query", "promtool");
        var report = new Option<string?>("--output") { Description = "Also write the Markdown report to this file" };
        var labels = new Option<string?>("--labels-output") { Description = "Write the incidents (the history's labels) as JSON to this file" };
        var work = new Option<string?>("--work-dir") { Description = "Work in this folder and keep it (blocks, Prometheus data); default: a temporary folder, deleted" };
        var reuse = new Option<bool>("--reuse-history") { Description = "With --work-dir: reuse the blocks of the same history from an earlier run (to score edited rules quickly)" };

        var run = new Command("run", "Generate a history, backfill it and the recording rules into Prometheus, evaluate every alert, print the quality report");
        history.AddTo(run);
        foreach (var option in new Option[] { rules, config, evalInterval, records, recordBackfill, report, labels, work, reuse })
        {
            run.Options.Add(option);
        }

        run.SetAction(async (parsed, ct) =>
        {
            var options = history.Read(parsed);
            var rulesFolder = Path.GetFullPath(parsed.GetValue(rules) ?? Path.Combine(RepositoryRoot(), "prometheus", "rules"));
            var interval = parsed.GetValue(evalInterval) is { } text
                ? PromDuration.Parse(text)
                : RuleSet.GlobalEvaluationInterval(parsed.GetValue(config) ?? Path.Combine(RepositoryRoot(), "prometheus", "prometheus.yml"));
            var pipeline = new PipelineOptions
            {
                RulesFolder = rulesFolder,
                EvaluationInterval = interval,
                NeededRecordsOnly = parsed.GetValue(records) == "needed",
                RecordBackfill = parsed.GetValue(recordBackfill) == "promtool" ? RecordingBackfillMode.Promtool : RecordingBackfillMode.Query,
                WorkFolder = parsed.GetValue(work) is { } w ? Path.GetFullPath(w) : null,
                ReuseHistory = parsed.GetValue(reuse),
                Command = "perfotel-alert-quality " + string.Join(' ', args),
            };
            var result = await Pipeline.RunAsync(options, pipeline, line => error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}"), ct);
            if (parsed.GetValue(report) is { } path)
            {
                await File.WriteAllTextAsync(path, result.Report, ct);
            }

            if (parsed.GetValue(labels) is { } labelsPath)
            {
                await File.WriteAllTextAsync(labelsPath, result.History.IncidentsJson(), ct);
            }

            await output.WriteAsync(result.Report);
            return 0;
        });

        var folder = new Option<string>("--output-dir") { Description = "Folder for the OpenMetrics files and incidents.json", Required = true };
        var generate = new Command("generate", "Write a labelled history: OpenMetrics backfill input (promtool tsdb create-blocks-from openmetrics) and incidents.json");
        history.AddTo(generate);
        generate.Options.Add(folder);
        generate.SetAction(async (parsed, ct) =>
        {
            var generated = HistoryGenerator.Generate(Fleet.Default, history.Read(parsed));
            var dir = Directory.CreateDirectory(parsed.GetValue(folder)!).FullName;
            var files = generated.Write(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "incidents.json"), generated.IncidentsJson(), ct);
            foreach (var (path, samples) in files)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}\t{samples} samples"));
            }

            await output.WriteLineAsync(Path.Combine(dir, "incidents.json") + $"\t{generated.Incidents.Count} incidents");
            return 0;
        });

        root.Subcommands.Add(run);
        root.Subcommands.Add(generate);
        var result = root.Parse(args);
        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    /// <summary>The repository (the folder holding PerfOtel.sln) above the working directory or the tool.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PerfOtel.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>The options that shape a history (shared by run and generate).</summary>
    private sealed class HistoryArguments
    {
        private readonly Option<int> seed = new("--seed") { Description = "Seed of the noise and of the incidents' placement", DefaultValueFactory = _ => 1 };
        private readonly Option<double> days = new("--days") { Description = "Length of the history in days (the first --warmup-days are warm-up)", DefaultValueFactory = _ => 15 };
        private readonly Option<string> step = new("--step") { Description = "Scrape interval of the history (15s, 30s, 60s)", DefaultValueFactory = _ => "30s" };
        private readonly Option<string> start = new("--start") { Description = "First day of the history (a UTC date)", DefaultValueFactory = _ => "2025-03-03" };
        private readonly Option<double> warmup = new("--warmup-days") { Description = "Days at the start without incidents and not scored (the 7-day baselines and week-ago bands need 7)", DefaultValueFactory = _ => 7 };
        private readonly Option<string?> kinds = new("--kinds") { Description = "Comma-separated incident kinds (default: every kind)" };
        private readonly Option<int?> perKind = new("--incidents-per-kind") { Description = "Incidents of each kind (default: each kind's rate per 10 days, at least one)" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { seed, days, step, start, warmup, kinds, perKind })
            {
                command.Options.Add(option);
            }
        }

        public HistoryOptions Read(ParseResult parsed)
        {
            var first = DateTimeOffset.Parse(parsed.GetValue(start)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new HistoryOptions
            {
                Seed = parsed.GetValue(seed),
                Days = parsed.GetValue(days),
                StepSeconds = PromDuration.Parse(parsed.GetValue(step)!),
                Start = first.ToUnixTimeSeconds() / 86400 * 86400,
                WarmupDays = parsed.GetValue(warmup),
                Kinds = parsed.GetValue(kinds) is { } list ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IncidentCatalog.Get)] : IncidentCatalog.All,
                IncidentsPerKind = parsed.GetValue(perKind),
            };
        }
    }
}
