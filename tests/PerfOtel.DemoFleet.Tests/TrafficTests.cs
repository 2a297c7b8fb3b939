using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Collector.Ingest;
using PerfOtel.DemoFleet.Fleet;
using PerfOtel.DemoFleet.Incidents;
using PerfOtel.DemoFleet.Ingest;

namespace PerfOtel.DemoFleet.Tests;

public sealed class TrafficTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The collector's side of the wire: snake_case, and a field it does not know is an error here.</summary>
    private static readonly JsonSerializerOptions CollectorJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static List<DemoEvent> Generate(IncidentKind? incident, int minutes = 30, double runsPerMinute = 60, int seed = 7)
    {
        var g = new TrafficGenerator(runsPerMinute, new Random(seed));
        var events = new List<DemoEvent>();
        for (var i = 0; i < minutes; i++)
        {
            events.AddRange(g.Tick(Minute, 1.0, incident));
        }

        return events;
    }

    [Fact]
    public void Every_batch_of_a_day_with_every_incident_is_valid_for_the_collector()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var validator = new EventValidator(new IngestOptions(), new CustomMetricRegistry(services.GetRequiredService<IMeterFactory>(), Options.Create(new CustomMetricsOptions())));
        var generator = new TrafficGenerator(40, new Random(1));
        var cycle = new DailyCycle(TimeSpan.FromHours(24), 0, 0.15);
        IncidentKind?[] incidents = [null, .. IncidentKinds.All.Cast<IncidentKind?>()];
        var accepted = 0;
        for (var minute = 0; minute < 24 * 60; minute += 10)
        {
            var events = generator.Tick(10 * Minute, cycle.ActivityAt(TimeSpan.FromMinutes(minute)), incidents[minute / 10 % incidents.Length]);
            var json = JsonSerializer.Serialize(new DemoBatch(events), DemoJsonContextAccess.Options);
            var batch = JsonSerializer.Deserialize<EventBatch>(json, CollectorJson);
            Assert.NotNull(validator.Validate(batch, out var problems));
            Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Key}: {string.Join("; ", p.Value)}")));
            accepted += events.Count;
        }

        Assert.InRange(accepted, 10_000, 200_000);
    }

    [Fact]
    public void Every_model_but_the_self_hosted_one_has_a_price_in_the_shipped_catalog()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("deploy", "pricing", "catalog.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var priced = catalog.RootElement.GetProperty("prices").EnumerateArray()
            .Select(p => (p.GetProperty("provider").GetString(), p.GetProperty("model").GetString())).ToHashSet();
        var models = FleetModel.Agents.Select(a => a.Model).Append(FleetModel.Targets.CostSpikeModel).Distinct().ToList();
        Assert.True(models.Count >= 6);
        foreach (var m in models)
        {
            Assert.Equal(m != FleetModel.SelfHosted, priced.Contains((m.Provider, m.Model)));
        }
    }

    [Fact]
    public void A_calm_fleet_runs_mostly_successfully_with_phases_estimates_tools_and_queues()
    {
        var events = Generate(null);
        var runs = events.Where(e => e.Type == "run").ToList();
        var calls = events.Where(e => e.Type == "llm_call").ToList();
        Assert.InRange(runs.Count, 1500, 2100);
        Assert.InRange(runs.Count(r => r.Outcome == "success") / (double)runs.Count, 0.8, 0.95);
        Assert.Equal(["blocked", "cancelled", "failure", "success"], runs.Select(r => r.Outcome!).Distinct().Order());
        Assert.All(runs, r => Assert.InRange(Math.Abs(r.DurationSeconds!.Value - r.Phases!.Sum(p => p.DurationSeconds)), 0, 1e-6));
        Assert.InRange(runs.Count(r => r.EstimatedDurationSeconds is not null) / (double)runs.Count, 0.7, 0.9);
        Assert.Equal(FleetModel.Agents.Select(a => a.Name).Order(), runs.Select(r => r.Agent!).Distinct().Order());
        Assert.InRange(calls.Count(c => c.ErrorType is not null) / (double)calls.Count, 0.005, 0.03);
        Assert.Contains(calls, c => c.ReasoningTokens > 0);
        Assert.Contains(calls, c => c.CachedInputTokens > 0);
        Assert.Contains(events, e => e.Type == "tool_call" && e.Outcome == "failure");
        Assert.Equal(30 * FleetModel.Queues.Count, events.Count(e => e.Type == "queue_snapshot"));
        Assert.Contains(runs, r => r.Environment == "staging");
    }

    [Fact]
    public void Traffic_follows_the_rate_and_the_activity()
    {
        var g = new TrafficGenerator(100, new Random(3));
        var busy = g.Tick(10 * Minute, 1.0, null).Count(e => e.Type == "run");
        var quiet = g.Tick(10 * Minute, 0.1, null).Count(e => e.Type == "run");
        Assert.InRange(busy, 900, 1100);
        Assert.InRange(quiet, 70, 130);
        Assert.Equal(TrafficGenerator.MaxRunsPerTick, new TrafficGenerator(100_000, new Random(1)).Tick(Minute, 1, null).Count(e => e.Type == "run"));
    }

    [Fact]
    public void Error_spike_fails_about_a_third_of_the_target_models_calls_and_more_runs()
    {
        static (double Calls, double Runs) Errors(List<DemoEvent> events)
        {
            var target = events.Where(e => e.Type == "llm_call" && e.Model == FleetModel.Targets.ErrorSpikeModel.Model).ToList();
            var runs = events.Where(e => e.Type == "run").ToList();
            return (target.Count(c => c.ErrorType is not null) / (double)target.Count, runs.Count(r => r.Outcome == "failure") / (double)runs.Count);
        }

        var calm = Errors(Generate(null));
        var spike = Errors(Generate(IncidentKind.ErrorSpike));
        Assert.InRange(calm.Calls, 0, 0.04);
        Assert.InRange(spike.Calls, 0.28, 0.42);
        Assert.True(spike.Runs > calm.Runs * 2, $"failed runs {calm.Runs:P1} -> {spike.Runs:P1}");
    }

    [Fact]
    public void Slow_phase_stretches_the_target_teams_execute_phase_and_beats_the_estimates()
    {
        static double Execute(List<DemoEvent> events, string team) => events
            .Where(e => e.Type == "run" && e.Team == team && e.Outcome == "success")
            .Average(r => r.Phases!.Single(p => p.Name == FleetModel.Targets.SlowPhase).DurationSeconds);

        var calm = Generate(null);
        var slow = Generate(IncidentKind.SlowPhase);
        Assert.InRange(Execute(slow, FleetModel.Targets.SlowPhaseTeam) / Execute(calm, FleetModel.Targets.SlowPhaseTeam), 3, 5);
        Assert.InRange(Execute(slow, "search") / Execute(calm, "search"), 0.8, 1.25);
    }

    [Fact]
    public void Cost_spike_moves_the_target_agent_to_a_dearer_model_with_long_contexts()
    {
        var spike = Generate(IncidentKind.CostSpike).Where(e => e.Type == "llm_call" && e.Agent == FleetModel.Targets.CostSpikeAgent).ToList();
        var calm = Generate(null).Where(e => e.Type == "llm_call" && e.Agent == FleetModel.Targets.CostSpikeAgent).ToList();
        Assert.All(spike, c => Assert.Equal(FleetModel.Targets.CostSpikeModel.Model, c.Model));
        Assert.True(spike.Sum(c => c.InputTokens!.Value) > 10 * calm.Sum(c => c.InputTokens!.Value));
    }

    [Fact]
    public void Component_down_fails_the_tools_behind_it_and_blocks_runs()
    {
        var events = Generate(IncidentKind.ComponentDown);
        var behind = events.Where(e => e.Type == "tool_call" && FleetModel.ComponentOf(e.Tool!) == FleetModel.Targets.DownComponent).ToList();
        Assert.NotEmpty(behind);
        Assert.All(behind, t => Assert.Equal(("failure", "unavailable"), (t.Outcome, t.ErrorType)));
        Assert.Contains(events, e => e.Type == "run" && e.Outcome == "blocked" && e.ErrorCategory == "dependency_down");
    }

    [Fact]
    public void Queue_starvation_grows_the_target_backlog_with_no_idle_executor_and_it_drains_after()
    {
        var g = new TrafficGenerator(60, new Random(5));
        var depths = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var q = g.Tick(Minute, 1, IncidentKind.QueueStarvation).Single(e => e.Type == "queue_snapshot" && e.Queue == FleetModel.Targets.StarvedQueue);
            Assert.Equal(0, q.IdleExecutors);
            depths.Add(q.Depth!.Value);
        }

        Assert.Equal(depths.Order(), depths);
        Assert.True(depths[^1] > 60, $"backlog after 10 minutes: {depths[^1]}");
        var after = depths[^1];
        for (var i = 0; i < 60; i++)
        {
            after = g.Tick(Minute, 0.5, null).Single(e => e.Type == "queue_snapshot" && e.Queue == FleetModel.Targets.StarvedQueue).Depth!.Value;
        }

        Assert.True(after < depths[^1] / 4, $"backlog an hour after the incident: {after}");
    }
}

/// <summary>The fleet's own serializer settings (its source-generated context), as the wire sees them.</summary>
internal static class DemoJsonContextAccess
{
    public static JsonSerializerOptions Options => DemoJsonContext.Default.Options;
}
