using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;

namespace PerfOtel.Telemetry.Tests;

public sealed class AgentMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddPerfOtelTelemetry().BuildServiceProvider();

    private AgentMetrics Metrics => services.GetRequiredService<AgentMetrics>();

    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), AgentSemanticConventions.MeterName, instrument);

    [Fact]
    public void Run_is_recorded_with_agent_outcome_and_seconds()
    {
        using var runs = Collect<double>(AgentSemanticConventions.RunDuration);
        Metrics.RecordRun(new RunRecord("planner", RunOutcome.Failure, 12.5, "timeout"));

        var m = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal(12.5, m.Value);
        Assert.Equal("planner", m.Tags["gen_ai.agent.name"]);
        Assert.Equal("failure", m.Tags["agent.run.outcome"]);
        Assert.Equal("timeout", m.Tags["error.type"]);
        Assert.Equal("s", runs.Instrument!.Unit);
    }

    [Fact]
    public void Successful_run_never_carries_an_error_type()
    {
        using var runs = Collect<double>(AgentSemanticConventions.RunDuration);
        Metrics.RecordRun(new RunRecord("planner", RunOutcome.Success, 3, "ignored"));

        Assert.False(Assert.Single(runs.GetMeasurementSnapshot()).Tags.ContainsKey("error.type"));
    }

    [Fact]
    public void Llm_call_records_duration_and_tokens_by_type_with_genai_attributes()
    {
        using var duration = Collect<double>(AgentSemanticConventions.OperationDuration);
        using var tokens = Collect<long>(AgentSemanticConventions.TokenUsage);
        Metrics.RecordLlmCall(new LlmCallRecord("openai", "gpt-4o", "chat", "planner", 1200, 300, 1.8));

        var d = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(1.8, d.Value);
        Assert.Equal("openai", d.Tags["gen_ai.provider.name"]);
        Assert.Equal("gpt-4o", d.Tags["gen_ai.request.model"]);
        Assert.Equal("chat", d.Tags["gen_ai.operation.name"]);
        Assert.Equal("planner", d.Tags["gen_ai.agent.name"]);
        Assert.False(d.Tags.ContainsKey("error.type"));

        var byType = tokens.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["gen_ai.token.type"]!, m => m.Value);
        Assert.Equal(1200, byType["input"]);
        Assert.Equal(300, byType["output"]);
        Assert.Equal("{token}", tokens.Instrument!.Unit);
    }

    [Fact]
    public void Failed_llm_call_carries_error_type_and_keeps_billed_input_tokens()
    {
        using var duration = Collect<double>(AgentSemanticConventions.OperationDuration);
        using var tokens = Collect<long>(AgentSemanticConventions.TokenUsage);
        Metrics.RecordLlmCall(new LlmCallRecord("openai", "gpt-4o", "chat", "planner", 800, 0, 0.4, "rate_limited"));

        Assert.Equal("rate_limited", Assert.Single(duration.GetMeasurementSnapshot()).Tags["error.type"]);
        var t = Assert.Single(tokens.GetMeasurementSnapshot());
        Assert.Equal(800, t.Value);
        Assert.Equal("input", t.Tags["gen_ai.token.type"]);
    }

    [Fact]
    public void Duration_histograms_use_second_scale_buckets()
    {
        // Default SDK buckets (0, 5, 10, 25, ...) would put every model call into one bucket.
        Assert.Equal(0.01, AgentBuckets.OperationDurationSeconds[0]);
        Assert.Equal(81.92, AgentBuckets.OperationDurationSeconds[^1]);
        Assert.True(AgentBuckets.RunDurationSeconds.Zip(AgentBuckets.RunDurationSeconds.Skip(1)).All(p => p.First < p.Second));
    }

    [Theory]
    [InlineData("success", RunOutcome.Success)]
    [InlineData("FAILURE", RunOutcome.Failure)]
    [InlineData("blocked", RunOutcome.Blocked)]
    [InlineData("cancelled", RunOutcome.Cancelled)]
    public void Outcome_names_round_trip(string name, RunOutcome expected)
    {
        Assert.True(RunOutcomeNames.TryParse(name, out var o));
        Assert.Equal(expected, o);
        Assert.Equal(name.ToLowerInvariant(), o.ToAttribute());
    }

    [Fact]
    public void Unknown_outcome_does_not_parse() => Assert.False(RunOutcomeNames.TryParse("canceled-ish", out _));

    public void Dispose() => services.Dispose();
}
