using System.Globalization;
using System.Runtime.CompilerServices;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// The demo fleet (src/PerfOtel.DemoFleet, the real program) run against the test stack's collector, once per stack,
/// so that every dashboard panel has realistic data: eight agents in three teams, priced and unpriced models, phases,
/// estimates, tool calls and queues. Also the collector settings the dashboards need beyond events: component probes
/// (of the stack's own servers, which are up for as long as the stack runs) and budgets.
/// </summary>
public static class DemoFleetTraffic
{
    /// <summary>How long the fleet runs: long enough for rates over the tests' 1 m windows and for the recording rules.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(25);

    private static readonly ConditionalWeakTable<StackFixture, Lazy<Task>> Runs = [];

    /// <summary>Collector configuration (environment variables) added to the test stack's collector.</summary>
    public static IEnumerable<KeyValuePair<string, string>> CollectorSettings(StackFixture stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        yield return new("PerfOtel__Probes__IntervalSeconds", "1");
        yield return new("PerfOtel__Probes__TimeoutSeconds", "0.5");
        (string Name, string Url, string Weight)[] probes =
        [
            ("prometheus", $"http://127.0.0.1:{stack.PrometheusPort}/-/healthy", "2"),
            ("alertmanager", $"http://127.0.0.1:{stack.AlertmanagerPort}/-/healthy", "1"),
            ("node-exporter", $"http://127.0.0.1:{stack.NodeExporterPort}/metrics", "1"),
        ];
        for (var i = 0; i < probes.Length; i++)
        {
            yield return new($"PerfOtel__Probes__Components__{i}__Name", probes[i].Name);
            yield return new($"PerfOtel__Probes__Components__{i}__Kind", "http");
            yield return new($"PerfOtel__Probes__Components__{i}__Url", probes[i].Url);
            yield return new($"PerfOtel__Probes__Components__{i}__Weight", probes[i].Weight);
        }

        // One budget of each scope and period the dashboards read, far above what the tests spend (no budget alert).
        (string Scope, string Name, string Period, double Limit)[] budgets =
        [
            ("team", "payments", "daily", 5_000),
            ("team", "payments", "monthly", 100_000),
            ("team", "search", "monthly", 100_000),
            ("agent", "coder", "daily", 2_000),
            ("agent", "researcher", "monthly", 50_000),
        ];
        for (var i = 0; i < budgets.Length; i++)
        {
            yield return new($"PerfOtel__Budgets__{i}__Scope", budgets[i].Scope);
            yield return new($"PerfOtel__Budgets__{i}__Name", budgets[i].Name);
            yield return new($"PerfOtel__Budgets__{i}__Period", budgets[i].Period);
            yield return new($"PerfOtel__Budgets__{i}__LimitUsd", budgets[i].Limit.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Runs the demo fleet once per stack (later callers wait for that run), then waits for a scrape.</summary>
    public static Task EnsureDemoFleetTrafficAsync(this StackFixture stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return Runs.GetValue(stack, s => new Lazy<Task>(() => RunAsync(s))).Value;
    }

    private static async Task RunAsync(StackFixture stack)
    {
        // No incidents: the shared stack's alerts stay the other tests' business. A busy afternoon hour, a fixed seed.
        var r = await ToolRun.RunAsync("dotnet",
        [
            DemoFleetDll(), "--url", stack.CollectorUrl, "--key-file", Path.Combine(stack.Dir, "secrets", "api-key"), "--listen", "off",
            "--tick", "1s", "--runs-per-minute", "900", "--start-hour", "15", "--incident-every", "0", "--seed", "42",
            "--duration", $"{Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
        ], timeout: Duration + TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, $"the demo fleet exited with {r.ExitCode}:\n{r.Output}\n{stack.Diagnostics()}");
        Assert.Contains("0 dropped", r.StdOut, StringComparison.Ordinal);
        await stack.WaitForScrapeAsync();
    }

    private static string DemoFleetDll()
    {
        // Built by the solution build in the tests' configuration (add a ProjectReference to build it with this project).
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepoPaths.Of("src", "PerfOtel.DemoFleet", "bin", config, "net10.0", "perfotel-demo-fleet.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the demo fleet is not built ({config}): dotnet build src/PerfOtel.DemoFleet -c {config}", dll);
    }
}
