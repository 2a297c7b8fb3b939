using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Tests;

/// <summary>The full event vocabulary over HTTP: runs with phases, LLM calls with token kinds, tools, queues, custom metrics.</summary>
public sealed class EventModelTests(CollectorApp app) : IClassFixture<CollectorApp>
{
    private async Task<HttpResponseMessage> Post(string body) =>
        await app.Authorized().PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

    private MetricCollector<T> Agents<T>(string instrument) where T : struct => app.Collect<T>(AgentSemanticConventions.MeterName, instrument);

    [Fact]
    public async Task Run_with_team_environment_estimate_phases_and_counts_is_recorded()
    {
        using var runs = Agents<double>(AgentSemanticConventions.RunDuration);
        using var phases = Agents<double>(AgentSemanticConventions.RunPhaseDuration);
        using var estimate = Agents<double>(AgentSemanticConventions.RunEstimatedDuration);
        using var actual = Agents<double>(AgentSemanticConventions.RunEstimatedActualDuration);
        using var blockers = Agents<long>(AgentSemanticConventions.RunBlockers);
        using var lines = Agents<long>(AgentSemanticConventions.RunLinesDelivered);
        using var retries = Agents<long>(AgentSemanticConventions.RunRetries);
        using var r = await Post("""
            {"events":[{"type":"run","run_id":"r-9","agent":"model-run","team":"payments","environment":"prod","outcome":"success",
              "duration_seconds":100,"estimated_duration_seconds":150,"blockers":2,"lines_delivered":340,"retries":1,
              "phases":[{"name":"plan","duration_seconds":10},{"name":"execute","duration_seconds":70},{"name":"review","duration_seconds":20}]}]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);

        var run = Assert.Single(runs.GetMeasurementSnapshot(), m => (string?)m.Tags["gen_ai.agent.name"] == "model-run");
        Assert.Equal("payments", run.Tags["agent.team"]);
        Assert.Equal("prod", run.Tags["deployment.environment.name"]);
        Assert.DoesNotContain("run_id", run.Tags.Keys);
        var byPhase = phases.GetMeasurementSnapshot().Where(m => (string?)m.Tags["gen_ai.agent.name"] == "model-run").ToDictionary(m => (string)m.Tags["agent.run.phase"]!, m => m.Value);
        Assert.Equal(70, byPhase["execute"]);
        Assert.Equal(3, byPhase.Count);
        Assert.Equal(150, Assert.Single(estimate.GetMeasurementSnapshot()).Value);
        Assert.Equal(100, Assert.Single(actual.GetMeasurementSnapshot()).Value);
        Assert.Equal(2, Assert.Single(blockers.GetMeasurementSnapshot()).Value);
        Assert.Equal(340, Assert.Single(lines.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, Assert.Single(retries.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task Llm_call_records_every_token_kind_response_model_and_time_to_first_token()
    {
        using var tokens = Agents<long>(AgentSemanticConventions.TokenUsage);
        using var ttft = Agents<double>(AgentSemanticConventions.TimeToFirstChunk);
        using var r = await Post("""
            {"events":[{"type":"llm_call","agent":"model-llm","team":"search","provider":"openai","model":"gpt-4o","response_model":"gpt-4o-2024-08-06",
              "operation":"chat","input_tokens":1000,"cached_input_tokens":600,"output_tokens":500,"reasoning_tokens":200,
              "duration_seconds":3.0,"time_to_first_token_seconds":0.4}]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);

        var byType = tokens.GetMeasurementSnapshot().Where(m => (string?)m.Tags["gen_ai.agent.name"] == "model-llm")
            .ToDictionary(m => (string)m.Tags["gen_ai.token.type"]!, m => m.Value);
        Assert.Equal(1000, byType["input"]);
        Assert.Equal(600, byType["cached_input"]);
        Assert.Equal(500, byType["output"]);
        Assert.Equal(200, byType["reasoning"]);
        var t = Assert.Single(ttft.GetMeasurementSnapshot());
        Assert.Equal(0.4, t.Value);
        Assert.Equal("gpt-4o-2024-08-06", t.Tags["gen_ai.response.model"]);
        Assert.Equal("search", t.Tags["agent.team"]);
    }

    [Fact]
    public async Task Inconsistent_token_parts_are_refused()
    {
        using var r = await Post("""
            {"events":[{"type":"llm_call","agent":"a","provider":"p","model":"m","operation":"chat","input_tokens":10,"cached_input_tokens":11,
              "output_tokens":5,"reasoning_tokens":6,"duration_seconds":1,"time_to_first_token_seconds":2}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var errors = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("events[0].cached_input_tokens", out _));
        Assert.True(errors.TryGetProperty("events[0].reasoning_tokens", out _));
        Assert.True(errors.TryGetProperty("events[0].time_to_first_token_seconds", out _));
    }

    [Fact]
    public async Task Tool_call_failure_without_reason_gets_the_conventional_other_error_type()
    {
        using var tools = Agents<double>(AgentSemanticConventions.ToolDuration);
        using var r = await Post("""
            {"events":[{"type":"tool_call","agent":"model-tool","tool":"web_search","duration_seconds":0.8,"outcome":"failure"},
                       {"type":"tool_call","agent":"model-tool","tool":"web_search","duration_seconds":0.3,"outcome":"success"}]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var m = tools.GetMeasurementSnapshot();
        Assert.Contains(m, x => x.Value == 0.8 && (string?)x.Tags["error.type"] == "_OTHER" && (string?)x.Tags["gen_ai.tool.name"] == "web_search");
        Assert.Contains(m, x => x.Value == 0.3 && !x.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task Queue_snapshot_sets_depth_and_executor_gauges()
    {
        using var depth = Agents<long>(AgentSemanticConventions.QueueDepth);
        using var executors = Agents<long>(AgentSemanticConventions.QueueExecutors);
        using var r = await Post("""{"events":[{"type":"queue_snapshot","queue":"model-queue","depth":12,"busy_executors":3,"idle_executors":5}]}""");
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Equal(12, Assert.Single(depth.GetMeasurementSnapshot()).Value);
        var byState = executors.GetMeasurementSnapshot().ToDictionary(x => (string)x.Tags["agent.executor.state"]!, x => x.Value);
        Assert.Equal(3, byState["busy"]);
        Assert.Equal(5, byState["idle"]);
    }

    [Fact]
    public async Task Declared_custom_metric_is_recorded_with_its_labels()
    {
        using var comments = app.Collect<double>(CustomMetricRegistry.MeterName, "review.comments");
        using var r = await Post("""{"events":[{"type":"metric","name":"review.comments","value":4,"labels":{"repo":"billing"}}]}""");
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var m = Assert.Single(comments.GetMeasurementSnapshot());
        Assert.Equal(4, m.Value);
        Assert.Equal("billing", m.Tags["repo"]);
    }

    [Theory]
    [InlineData("""{"type":"metric","name":"not.declared","value":1}""", "events[0].name")]
    [InlineData("""{"type":"metric","name":"review.comments","value":1,"labels":{"branch":"main"}}""", "events[0].labels.branch")]
    [InlineData("""{"type":"metric","name":"review.comments","value":-1}""", "events[0].value")]
    [InlineData("""{"type":"metric","name":"review.comments"}""", "events[0].value")]
    public async Task Undeclared_metrics_labels_and_bad_values_are_refused(string evt, string field)
    {
        using var r = await Post("{\"events\":[" + evt + "]}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var errors = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }
}
