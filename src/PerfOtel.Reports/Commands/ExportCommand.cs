using System.CommandLine;
using PerfOtel.Reports.Export;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary><c>export</c>: series of a range as CSV, JSON or Parquet, with label filters.</summary>
internal static class ExportCommand
{
    /// <summary>Prometheus answers at most 11,000 points per series of a range query.</summary>
    public const int MaxPointsPerSeries = 11_000;

    public static Command Create(CliContext context, GlobalOptions global)
    {
        var from = TimeOption.Create("--from", "Start of the range");
        var to = TimeOption.Create("--to", "End of the range");
        var metrics = new Option<string[]>("--metric")
        {
            Description = "Metric to export (repeatable), e.g. agent_run_duration_seconds_count",
            HelpName = "name",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        metrics.Validators.Add(r =>
        {
            foreach (var name in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!LabelMatcher.IsMetricName(name))
                {
                    r.AddError($"--metric: '{name}' is not a metric name");
                }
            }
        });
        var matches = new Option<string[]>("--match")
        {
            Description = "Label filter (repeatable): NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX",
            HelpName = "filter",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        matches.Validators.Add(r =>
        {
            foreach (var text in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!LabelMatcher.TryParse(text, out _))
                {
                    r.AddError($"--match: '{text}' is not a label filter; use NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX");
                }
            }
        });
        var step = TimeOption.CreateSpan("--step", "Resolution: one sample per step (the newest at or before each step)", TimeSpan.FromMinutes(1));
        var format = new Option<string>("--format")
        {
            Description = "Export format",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "json", "parquet");
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder the export is written to (created if missing)",
            HelpName = "dir",
            DefaultValueFactory = _ => ".",
        };

        var command = new Command("export", "Write the series of one or more metrics over a range as CSV, JSON or Parquet");
        foreach (var option in new Option[] { from, to, metrics, matches, step, format, output })
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(context, async ct =>
        {
            var range = ReportRange.Create(parsed.GetValue(from), parsed.GetValue(to));
            var resolution = parsed.GetValue(step);
            if (range.Window / resolution + 1 > MaxPointsPerSeries)
            {
                var minimum = TimeSpan.FromSeconds(Math.Ceiling(range.Window.TotalSeconds / (MaxPointsPerSeries - 1)));
                throw new ReportFailure(ExitCodes.Usage, $"--step {ReportTime.FormatSpan(resolution)} gives more than {MaxPointsPerSeries} points per series over {ReportTime.FormatSpan(range.Window)}; use --step {ReportTime.FormatSpan(minimum)} or more");
            }

            var filters = string.Join(",", (parsed.GetValue(matches) ?? []).Select(m => LabelMatcher.TryParse(m, out var x) ? x!.ToPromQl() : ""));
            var endpoint = global.Endpoint(parsed);
            using var http = endpoint.CreateHttpClient(context.QueryTimeout);
            var prometheus = new PrometheusClient(http, endpoint.Url);
            var series = new List<ExportedSeries>();
            foreach (var metric in parsed.GetRequiredValue(metrics).Distinct(StringComparer.Ordinal))
            {
                foreach (var s in await prometheus.QueryRangeAsync($"{metric}{{{filters}}}", range.From, range.To, resolution, ct))
                {
                    series.Add(new ExportedSeries(
                        s.Labels.GetValueOrDefault("__name__", metric),
                        s.Labels.Where(kv => kv.Key != "__name__").ToDictionary(kv => kv.Key, kv => kv.Value),
                        s.Samples));
                }
            }

            if (series.Count == 0)
            {
                throw new ReportFailure(ExitCodes.NoData, $"no series of {string.Join(", ", parsed.GetRequiredValue(metrics))} matching the filters in {prometheus.DisplayUrl} between {ReportTime.Format(range.From)} and {ReportTime.Format(range.To)}; nothing written");
            }

            var exportFormat = parsed.GetRequiredValue(format) switch
            {
                "json" => ExportFormat.Json,
                "parquet" => ExportFormat.Parquet,
                _ => ExportFormat.Csv,
            };
            var bytes = await SeriesExport.RenderAsync(exportFormat, series, range, resolution, ct);
            context.Out.WriteLine(ReportFile.Write(parsed.GetRequiredValue(output), ReportFile.NameFor("perfotel-export", range, SeriesExport.Extension(exportFormat)), bytes));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
