using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using PerfOtel.Collector.Budgets;
using PerfOtel.Telemetry;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Collector.Tests.Budgets;

/// <summary>
/// The names the Prometheus exporter gives the cost and budget instruments: the contract for rules and dashboards.
/// A unit such as <c>USD</c> would be appended verbatim (<c>_USD</c>); a unit in braces adds nothing.
/// </summary>
public sealed class PrometheusNamesTests
{
    [Fact]
    public async Task Cost_and_budget_series_have_the_documented_prometheus_names()
    {
        using var dir = new TempDir();
        var catalog = dir.Replace("catalog.json", """
            {"schema_version": 1, "prices": [{"provider": "openai", "model": "gpt-4o", "effective_from": "2024-01-01", "input": 2.5, "cached_input": 1.25, "output": 10}]}
            """);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PerfOtel:Budgets:0:Scope"] = "team",
            ["PerfOtel:Budgets:0:Name"] = "search",
            ["PerfOtel:Budgets:0:Period"] = "daily",
            ["PerfOtel:Budgets:0:LimitUsd"] = "25",
        });
        builder.Services.AddPerfOtelPricing(catalog);
        builder.Services.AddBudgets(builder.Configuration);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(AgentSemanticConventions.MeterName, BudgetMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var cost = app.Services.GetRequiredService<LlmCostRecorder>();
        cost.Record(new LlmCallRecord("openai", "gpt-4o", "chat", "planner", 1000, 100, 1) with { Team = "search", CachedInputTokens = 200 });
        cost.Record(new LlmCallRecord("openai", "gpt-9", "chat", "planner", 1000, 100, 1));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var client = app.GetTestClient();
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // 800 × 2.5 + 200 × 1.25 + 100 × 10 = 3250 µUSD.
        Assert.Contains("agent_llm_cost_usd_total{otel_scope_name=\"PerfOtel.Agents\",agent_team=\"search\",gen_ai_agent_name=\"planner\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"} 0.00325", Lines(text));
        Assert.Contains("agent_llm_unpriced_tokens_total{otel_scope_name=\"PerfOtel.Agents\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-9\",gen_ai_token_type=\"output\"} 100", Lines(text));
        Assert.Contains("agent_budget_limit_usd{otel_scope_name=\"PerfOtel.Budgets\",agent_team=\"search\",budget_name=\"search\",budget_period=\"daily\",budget_scope=\"team\"} 25", Lines(text));
        Assert.Contains(Lines(text), l => l.StartsWith("agent_budget_period_start_timestamp_seconds{", StringComparison.Ordinal));
        Assert.Contains(Lines(text), l => l.StartsWith("agent_budget_period_end_timestamp_seconds{", StringComparison.Ordinal));
        Assert.DoesNotContain("_USD", text, StringComparison.Ordinal);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    // Series lines without the trailing timestamp the exporter may add.
    private static List<string> Lines(string exposition) =>
        [.. exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(StripTimestamp)];

    private static string StripTimestamp(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 ? parts[0] + " " + parts[1] : line;
    }
}
