using System.Globalization;
using System.Text.Json;
using PerfOtel.Production.Tests.Fixture;

namespace PerfOtel.Production.Tests;

/// <summary>
/// History outlives every Prometheus: with both replicas dead and their data deleted, VictoriaMetrics still has the
/// series and the reports job's totals for the past range, once (not once per replica). Own stack: it kills both
/// replicas.
/// </summary>
public sealed class LongTermStoreTests(ProductionStack stack, ITestOutputHelper output) : IClassFixture<ProductionStack>
{
    private const string Agent = "lt-agent";
    private const int Batches = 3;

    private const string Batch = """
        {"events":[
          {"type":"run","agent":"lt-agent","outcome":"success","duration_seconds":10},
          {"type":"run","agent":"lt-agent","outcome":"success","duration_seconds":20},
          {"type":"run","agent":"lt-agent","outcome":"success","duration_seconds":30},
          {"type":"run","agent":"lt-agent","outcome":"failure","error_category":"timeout","duration_seconds":40},
          {"type":"llm_call","agent":"lt-agent","provider":"openai","model":"gpt-4o","operation":"chat","input_tokens":1000,"output_tokens":200,"duration_seconds":1.5},
          {"type":"llm_call","agent":"lt-agent","provider":"openai","model":"gpt-4o","operation":"chat","input_tokens":500,"output_tokens":100,"duration_seconds":0.5}
        ]}
        """;

    [Fact]
    public async Task Series_and_report_totals_survive_both_replicas_and_their_data_from_VictoriaMetrics()
    {
        // Whole seconds: the reports job takes times to the second.
        var from = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
        for (var i = 0; i < Batches; i++)
        {
            await stack.PostEventsAsync(Batch);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        const double runs = Batches * 4, failed = Batches * 1, input = Batches * 1500, outputTokens = Batches * 300, calls = Batches * 2;
        var runsQuery = $"sum(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{Agent}\"}})";
        var seriesQuery = $"count(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{Agent}\"}})";
        // Both replicas have everything, and so has the store: once, with as many series as one replica.
        foreach (var api in stack.Prometheus.Append(stack.VictoriaMetrics))
        {
            await Poll.UntilAsync(async () => await api.ScalarAsync(runsQuery) == runs, TimeSpan.FromSeconds(90),
                () => $"{api.BaseUrl}: {runsQuery} is not {runs}");
        }

        var series = await stack.Prometheus[0].ScalarAsync(seriesQuery);
        Assert.Equal(series, await stack.VictoriaMetrics.ScalarAsync(seriesQuery));
        Assert.Null(await stack.VictoriaMetrics.ScalarAsync($"count(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{Agent}\",replica!=\"\"}})"));
        Assert.Equal(1, await stack.VictoriaMetrics.ScalarAsync($"count(count by (cluster) (agent_run_duration_seconds_count{{cluster=\"{ProductionStack.Cluster}\"}}))"));
        // Wait for the newest scrape of both replicas to be written, so the store's range ends where the replicas' did.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var to = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        await stack.KillAsync("prometheus-a");
        await stack.KillAsync("prometheus-b");
        for (var i = 0; i < 2; i++)
        {
            Directory.Delete(stack.PrometheusDataDir(i), recursive: true);
            Assert.False(Directory.Exists(stack.PrometheusDataDir(i)));
        }

        // The series: the whole range from the store alone.
        var points = await stack.VictoriaMetrics.QueryRangeAsync(runsQuery, from, to, TimeSpan.FromSeconds(1));
        var line = Assert.Single(points);
        Assert.Equal(runs, line[^1].V);
        Assert.True(line.Zip(line.Skip(1)).All(p => p.Second.V >= p.First.V), "the run counter went down in the store: " + string.Join(",", line.Select(p => p.V)));
        Assert.Equal(runs, await stack.VictoriaMetrics.ScalarAsync($"sum(increase(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{Agent}\"}}[{(int)(to - from).TotalSeconds + 60}s]))", to));

        // The reports job, pointed at the store with its credentials and CA.
        var outDir = Directory.CreateDirectory(Path.Combine(stack.Dir, "reports-out")).FullName;
        var report = await ToolRun.RunAsync("dotnet",
        [
            ProductionStack.ReportsDll, "range",
            "--from", from.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "--to", to.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "--prometheus-url", stack.VictoriaMetricsUrl,
            "--prometheus-password-file", stack.PasswordFile("prometheus"),
            "--prometheus-ca-file", stack.CaFile,
            "--format", "json", "--output", outDir,
        ], timeout: TimeSpan.FromMinutes(2));
        Assert.True(report.ExitCode == 0, $"reports job failed ({report.ExitCode}): {report.Output}");
        Assert.DoesNotContain(stack.Password("prometheus"), report.Output, StringComparison.Ordinal);
        var json = File.ReadAllText(Assert.Single(Directory.GetFiles(outDir, "*.json")));
        using var doc = JsonDocument.Parse(json);
        var current = AgentCurrent(doc.RootElement, Agent)
            ?? throw new InvalidOperationException($"no row for {Agent} in the report:\n{json}");
        Assert.Equal(runs, current.GetProperty("runs").GetDouble());
        Assert.Equal(runs - failed, current.GetProperty("successful_runs").GetDouble());
        Assert.Equal(calls, current.GetProperty("llm_calls").GetDouble());
        Assert.Equal(input, current.GetProperty("tokens_by_type").GetProperty("input").GetDouble());
        Assert.Equal(outputTokens, current.GetProperty("tokens_by_type").GetProperty("output").GetDouble());
        output.WriteLine($"after both replicas and their data were deleted, from VictoriaMetrics: runs {runs}, successful {runs - failed}, LLM calls {calls}, tokens in/out {input}/{outputTokens} (sent: the same), {series} series (one replica's count), report {report.Output.Trim()}");
    }

    /// <summary>The report's <c>current</c> KPIs of one agent, wherever the JSON keeps its agent rows.</summary>
    private static JsonElement? AgentCurrent(JsonElement e, string agent)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                if (e.TryGetProperty("agent", out var a) && a.ValueKind == JsonValueKind.String && a.GetString() == agent && e.TryGetProperty("current", out var c))
                {
                    return c;
                }

                foreach (var p in e.EnumerateObject())
                {
                    if (AgentCurrent(p.Value, agent) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    if (AgentCurrent(item, agent) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
