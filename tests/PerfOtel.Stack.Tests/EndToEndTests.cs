using System.Net;
using System.Text;
using System.Text.Json;
using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Stack.Tests;

/// <summary>Events posted to the real collector, scraped by real Prometheus, alerted through real Alertmanager.</summary>
[Collection(StackCollection.Name)]
public sealed class EndToEndTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Posted_events_become_series_with_exact_values_in_prometheus()
    {
        await stack.PostEventsAsync("""
            {"events":[
              {"type":"run","run_id":"e2e-1","agent":"e2e-values","outcome":"success","duration_seconds":4},
              {"type":"run","run_id":"e2e-2","agent":"e2e-values","outcome":"success","duration_seconds":40},
              {"type":"run","run_id":"e2e-3","agent":"e2e-values","outcome":"failure","error_category":"timeout","duration_seconds":400},
              {"type":"llm_call","agent":"e2e-values","provider":"anthropic","model":"claude-e2e","operation":"chat","input_tokens":1000,"output_tokens":250,"duration_seconds":1.5},
              {"type":"llm_call","agent":"e2e-values","provider":"anthropic","model":"claude-e2e","operation":"chat","input_tokens":500,"output_tokens":0,"duration_seconds":0.3,"error_type":"overloaded"}
            ]}
            """);

        var p = stack.Prometheus;
        await p.WaitForValueAsync("sum(agent_run_duration_seconds_count{job=\"perfotel-collector\",gen_ai_agent_name=\"e2e-values\"})", 3, Patience);
        Assert.Equal(2, await p.ScalarAsync("sum(agent_run_duration_seconds_count{gen_ai_agent_name=\"e2e-values\",agent_run_outcome=\"success\"})"));
        Assert.Equal(1, await p.ScalarAsync("sum(agent_run_duration_seconds_count{gen_ai_agent_name=\"e2e-values\",agent_run_outcome=\"failure\",error_type=\"timeout\"})"));
        Assert.Equal(444, await p.ScalarAsync("sum(agent_run_duration_seconds_sum{gen_ai_agent_name=\"e2e-values\"})"));
        // 4 s and 40 s fall at or below le="60"; the 400 s run does not. Prometheus scrapes OpenMetrics, which
        // writes bucket bounds as floats: le="60.0".
        Assert.Equal(2, await p.ScalarAsync("sum(agent_run_duration_seconds_bucket{gen_ai_agent_name=\"e2e-values\",le=\"60.0\"})"));

        Assert.Equal(1500, await p.ScalarAsync("sum(gen_ai_client_token_usage_sum{gen_ai_agent_name=\"e2e-values\",gen_ai_token_type=\"input\",gen_ai_provider_name=\"anthropic\",gen_ai_request_model=\"claude-e2e\",gen_ai_operation_name=\"chat\"})"));
        Assert.Equal(250, await p.ScalarAsync("sum(gen_ai_client_token_usage_sum{gen_ai_agent_name=\"e2e-values\",gen_ai_token_type=\"output\"})"));
        Assert.Equal(2, await p.ScalarAsync("sum(gen_ai_client_operation_duration_seconds_count{gen_ai_request_model=\"claude-e2e\"})"));
        Assert.Equal(1, await p.ScalarAsync("sum(gen_ai_client_operation_duration_seconds_count{gen_ai_request_model=\"claude-e2e\",error_type=\"overloaded\"})"));
        Assert.True(await p.ScalarAsync("sum(perfotel_ingest_events_total{event_type=\"llm_call\"})") >= 2);

        // The collector's own process and runtime metrics are scraped too.
        Assert.NotNull(await p.ScalarAsync("sum(process_cpu_time_seconds_total{job=\"perfotel-collector\"})"));
        Assert.NotNull(await p.ScalarAsync("sum(dotnet_gc_heap_total_allocated_bytes_total{job=\"perfotel-collector\"})"));
    }

    [Fact]
    public async Task Llm_error_burst_fires_an_alert_that_reaches_the_webhook_and_slack_with_its_labels()
    {
        static string Calls(int ok, int failed)
        {
            var events = Enumerable.Range(0, ok).Select(_ => Call(null))
                .Concat(Enumerable.Range(0, failed).Select(_ => Call("rate_limited")));
            return "{\"events\":[" + string.Join(',', events) + "]}";

            static string Call(string? error) =>
                "{\"type\":\"llm_call\",\"agent\":\"e2e-alerts\",\"provider\":\"e2e-provider\",\"model\":\"e2e-flaky-model\",\"operation\":\"chat\",\"input_tokens\":10,\"output_tokens\":5,\"duration_seconds\":0.2"
                + (error is null ? "}" : ",\"error_type\":\"" + error + "\"}");
        }

        // First the series exist, the failed-call series included: rate() sees no increase in a counter's first
        // sample, so a burst that creates its series is invisible until the next increase. Then the errors arrive.
        await stack.PostEventsAsync(Calls(ok: 40, failed: 1));
        await stack.WaitForScrapeAsync();
        await stack.PostEventsAsync(Calls(ok: 20, failed: 30));

        static bool IsOurAlert(JsonElement body) =>
            body.TryGetProperty("alerts", out var alerts) && alerts.EnumerateArray().Any(a =>
                a.GetProperty("status").GetString() == "firing"
                && a.GetProperty("labels").GetProperty("alertname").GetString() == "LLMErrorRatioHigh"
                && a.GetProperty("labels").TryGetProperty("gen_ai_request_model", out var m) && m.GetString() == "e2e-flaky-model");

        var webhook = await stack.Listener.WaitForAsync("/webhook", IsOurAlert, TimeSpan.FromSeconds(90));
        var alert = webhook.Body.GetProperty("alerts").EnumerateArray().First(a => a.GetProperty("labels").GetProperty("gen_ai_request_model").GetString() == "e2e-flaky-model");
        var labels = alert.GetProperty("labels");
        Assert.Equal("warning", labels.GetProperty("severity").GetString());
        Assert.Equal("e2e-provider", labels.GetProperty("gen_ai_provider_name").GetString());
        Assert.Equal("warning", webhook.Body.GetProperty("receiver").GetString());
        Assert.False(string.IsNullOrEmpty(alert.GetProperty("annotations").GetProperty("runbook_url").GetString()));
        // Alertmanager authenticated to the alert log with the key file (credentials_file in the shipped config).
        Assert.Equal("Bearer " + stack.ApiKey, webhook.Authorization);

        // The warning route also posts to Slack, in Slack's payload shape.
        var slack = await stack.Listener.WaitForAsync("/slack", b => b.GetRawText().Contains("LLMErrorRatioHigh", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.True(slack.Body.TryGetProperty("attachments", out var attachments) && attachments.GetArrayLength() > 0, slack.Body.GetRawText());
        Assert.Equal("#perfotel-alerts", slack.Body.GetProperty("channel").GetString());

        // And Prometheus shows the alert as firing.
        Assert.NotEmpty(await stack.Prometheus.VectorAsync("ALERTS{alertname=\"LLMErrorRatioHigh\",alertstate=\"firing\",gen_ai_request_model=\"e2e-flaky-model\"}"));
    }

    [Fact]
    public async Task Rejected_batches_change_nothing_are_counted_and_the_collector_keeps_serving()
    {
        var p = stack.Prometheus;
        async Task<HttpStatusCode> Post(string body, bool auth = true)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (!auth)
            {
                req.Headers.Authorization = new("Bearer", "not-the-key");
            }

            using var r = await stack.Collector.SendAsync(req);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return r.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Post("""{"events":[{"type":"run","agent":"e2e-rejected","outcome":"success","duration_seconds":1}]}""", auth: false));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("""{"events":[{"type":"run","agent":"e2e-rejected","outcome":"success","duration_seconds":1},{"type":"run","agent":"e2e-rejected","outcome":"success","duration_seconds":-1}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("{\"events\":[{\"type\":"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await Post("{\"events\":[" + new string(' ', 5 * 1024 * 1024) + "]}"));

        await stack.WaitForScrapeAsync();
        Assert.Empty(await p.VectorAsync("agent_run_duration_seconds_count{gen_ai_agent_name=\"e2e-rejected\"}"));
        foreach (var reason in new[] { "unauthorized", "invalid", "malformed", "too_large" })
        {
            var n = await p.ScalarAsync($"sum(perfotel_ingest_rejected_batches_total{{reason=\"{reason}\"}})");
            Assert.True(n >= 1, $"{reason}: {n}");
        }

        Assert.False(stack.CollectorProcess.HasExited);
        using var health = await stack.Collector.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Collector_exposition_passes_promtool_check_metrics()
    {
        await stack.PostEventsAsync("""{"events":[{"type":"run","agent":"e2e-lint","outcome":"blocked","error_category":"waiting on review","duration_seconds":2}]}""");
        using var req = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        req.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var r = await stack.Collector.SendAsync(req);
        var text = await r.Content.ReadAsStringAsync();
        var path = Path.Combine(stack.Dir, "exposition.txt");
        await File.WriteAllTextAsync(path, text);

        var lint = await ToolRun.RunAsync("bash", ["-c", $"promtool check metrics < '{path}'"]);
        // The OTel process/runtime instrumentation names gauges *_count (process_thread_count, ...): not ours.
        var ours = lint.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("process_", StringComparison.Ordinal) && !l.StartsWith("dotnet_", StringComparison.Ordinal))
            .ToList();
        Assert.True(ours.Count == 0, "promtool check metrics:\n" + string.Join('\n', ours));
        Assert.Contains("gen_ai_agent_name=\"e2e-lint\"", text);
    }
}
