using System.Collections;
using System.CommandLine;

namespace PerfOtel.DemoFleet;

/// <summary>The command line: every setting is an option and an environment variable (the option wins).</summary>
public static class DemoFleetCommand
{
    public const int ExitUsage = 2;

    public static RootCommand Create(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = new RootCommand(
            "PerfOtel demo fleet: simulated LLM agents (runs, phases, model and tool calls, queues) sending realistic traffic "
            + "to a PerfOtel collector through the public ingest API, with daily seasonality and scheduled incidents "
            + "(error spike, slow phase, cost spike, component down, queue starvation). Stops on Ctrl-C or after --duration.");
        var options = new Dictionary<SettingSpec, Option>();
        foreach (var spec in DemoSettingsParser.All)
        {
            var help = $"{spec.Description} [env {spec.Variable}" + (spec.Default is null ? "]" : $", default {spec.Default}]");
            Option option = spec == DemoSettingsParser.AllowNonLoopback
                ? new Option<bool>(spec.Option) { Description = help }
                : new Option<string?>(spec.Option) { Description = help };
            options[spec] = option;
            root.Options.Add(option);
        }

        root.SetAction(async (result, cancellationToken) =>
        {
            var given = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (spec, option) in options)
            {
                if (result.GetResult(option) is { Implicit: false })
                {
                    given[spec.Option] = option is Option<bool> flag ? (result.GetValue(flag) ? "true" : "false") : result.GetValue((Option<string?>)option);
                }
            }

            var settings = DemoSettingsParser.Parse(given, environment, DateTimeOffset.UtcNow, out var errors);
            if (settings is null)
            {
                foreach (var e in errors)
                {
                    await Console.Error.WriteLineAsync("demo-fleet: " + e);
                }

                return ExitUsage;
            }

            return await DemoRunner.RunAsync(settings, Console.Out, cancellationToken);
        });
        return root;
    }
}
