using System.CommandLine;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Status;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary><c>status</c>: a quick terminal summary of health now: score, firing alerts, top offenders.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var at = TimeOption.CreateOptional("--at", "The moment to report on (default: now)");
        var window = TimeOption.CreateSpan("--window", "How far back runs and calls count", TimeSpan.FromHours(1));
        var command = new Command("status", "Print health now: health score, firing alerts, top offenders (writes no file)");
        command.Options.Add(at);
        command.Options.Add(window);
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(context, async ct =>
        {
            var endpoint = global.Endpoint(parsed);
            using var http = endpoint.CreateHttpClient(context.QueryTimeout);
            var prometheus = new PrometheusClient(http, endpoint.Url);
            var when = parsed.GetValue(at) ?? context.Time.GetUtcNow();
            var status = await HealthStatus.ReadAsync(prometheus, when, parsed.GetValue(window), ct);
            if (status.Score is null)
            {
                throw new ReportFailure(
                    ExitCodes.NoData,
                    $"no agent runs, LLM calls or firing alerts in {prometheus.DisplayUrl} in the {ReportTime.FormatSpan(parsed.GetValue(window))} before {ReportTime.Format(when)}");
            }

            context.Out.Write(status.ToText());
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
