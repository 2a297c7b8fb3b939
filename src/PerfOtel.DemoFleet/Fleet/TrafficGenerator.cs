using PerfOtel.DemoFleet.Incidents;
using PerfOtel.DemoFleet.Ingest;

namespace PerfOtel.DemoFleet.Fleet;

/// <summary>
/// Turns "this much time passed at this activity, with this incident" into the events a real fleet would have sent:
/// finished runs with phases, estimates, blockers and retries; their model and tool calls; one snapshot per queue.
/// Pure apart from the random source and the queues' backlog, so that tests can replay it.
/// </summary>
public sealed class TrafficGenerator
{
    /// <summary>Most runs simulated in one tick, whatever the rate: a tick's batch stays bounded.</summary>
    public const int MaxRunsPerTick = 2000;

    private static readonly string[] FailureCategories = ["timeout", "tool_error", "llm_error", "test_failure"];
    private static readonly string[] BlockedCategories = ["waiting_on_human", "missing_permissions"];
    private static readonly string[] SpikeErrors = ["rate_limited", "rate_limited", "rate_limited", "overloaded", "timeout"];
    private static readonly string[] BaseErrors = ["rate_limited", "timeout", "server_error", "content_filter"];
    private static readonly string[] ToolErrors = ["timeout", "http_500", "invalid_arguments"];

    private readonly double runsPerMinute;
    private readonly Random rng;
    private readonly Dictionary<string, double> backlog = [];
    private long runCounter;

    /// <param name="runsPerMinute">Runs per minute of the whole fleet at the daily peak.</param>
    /// <param name="rng">The random source (seeded for a reproducible fleet).</param>
    public TrafficGenerator(double runsPerMinute, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!double.IsFinite(runsPerMinute) || runsPerMinute < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(runsPerMinute));
        }

        this.runsPerMinute = runsPerMinute;
        this.rng = rng;
        foreach (var q in FleetModel.Queues)
        {
            backlog[q.Name] = 0;
        }
    }

    /// <summary>The current backlog of a queue.</summary>
    public double Backlog(string queue) => backlog[queue];

    /// <summary>Events for <paramref name="tick"/> of time at <paramref name="activity"/> (share of the peak).</summary>
    public List<DemoEvent> Tick(TimeSpan tick, double activity, IncidentKind? incident)
    {
        var events = new List<DemoEvent>();
        var minutes = tick.TotalMinutes;
        var runs = 0;
        foreach (var agent in FleetModel.Agents)
        {
            var n = rng.Poisson(runsPerMinute * agent.Share * activity * minutes);
            for (var i = 0; i < n && runs < MaxRunsPerTick; i++, runs++)
            {
                Run(agent, incident, events);
            }
        }

        foreach (var q in FleetModel.Queues)
        {
            events.Add(Queue(q, minutes, activity, incident == IncidentKind.QueueStarvation && q.Name == FleetModel.Targets.StarvedQueue));
        }

        return events;
    }

    private void Run(AgentProfile agent, IncidentKind? incident, List<DemoEvent> events)
    {
        var runId = $"demo-{++runCounter}";
        var environment = rng.Chance(0.85) ? FleetModel.Environments[0] : FleetModel.Environments[1];
        var costSpike = incident == IncidentKind.CostSpike && agent.Name == FleetModel.Targets.CostSpikeAgent;
        var model = costSpike ? FleetModel.Targets.CostSpikeModel : agent.Model;

        // Model calls.
        var calls = rng.Next(agent.MinLlmCalls, agent.MaxLlmCalls + 1) * (costSpike ? 3 : 1);
        var failedCalls = 0;
        for (var i = 0; i < calls; i++)
        {
            var errorRate = incident == IncidentKind.ErrorSpike && model == FleetModel.Targets.ErrorSpikeModel ? 0.35 : 0.015;
            var error = rng.Chance(errorRate)
                ? rng.Pick(errorRate > 0.1 ? SpikeErrors : BaseErrors)
                : null;
            failedCalls += error is null ? 0 : 1;
            events.Add(LlmCall(agent, model, costSpike ? 6 : 1, error));
        }

        // Tool calls; a tool whose component is down fails fast.
        var toolCalls = rng.Next(1, 4);
        var toolDown = false;
        for (var i = 0; i < toolCalls; i++)
        {
            var tool = rng.Pick(agent.Tools);
            var down = incident == IncidentKind.ComponentDown && FleetModel.ComponentOf(tool) == FleetModel.Targets.DownComponent;
            toolDown |= down;
            var failed = down || rng.Chance(0.02);
            events.Add(new DemoEvent
            {
                Type = "tool_call",
                Agent = agent.Name,
                Team = agent.Team,
                Tool = tool,
                Outcome = failed ? "failure" : "success",
                ErrorType = down ? "unavailable" : failed ? rng.Pick(ToolErrors) : null,
                DurationSeconds = Round(down ? rng.Between(0.01, 0.05) : rng.LogNormal(0.6, 0.7)),
            });
        }

        // Outcome: mostly success; model errors and a down dependency push runs to failure or blocked.
        string outcome;
        string? category = null;
        var r = rng.NextDouble();
        if (toolDown && r < 0.5)
        {
            (outcome, category) = ("blocked", "dependency_down");
        }
        else if (failedCalls > 0 && r < 0.25 + (0.15 * failedCalls))
        {
            (outcome, category) = ("failure", "llm_error");
        }
        else if (r < 0.90)
        {
            outcome = "success";
        }
        else if (r < 0.95)
        {
            (outcome, category) = ("failure", rng.Pick(FailureCategories));
        }
        else if (r < 0.98)
        {
            (outcome, category) = ("blocked", rng.Pick(BlockedCategories));
        }
        else
        {
            outcome = "cancelled";
        }

        // Duration and its phases; the slow-phase incident stretches one team's execute phase.
        var plan = rng.LogNormal(agent.TypicalRunSeconds * 0.12, 0.3);
        var execute = rng.LogNormal(agent.TypicalRunSeconds * 0.70, 0.4);
        var review = rng.LogNormal(agent.TypicalRunSeconds * 0.18, 0.3);
        if (incident == IncidentKind.SlowPhase && agent.Team == FleetModel.Targets.SlowPhaseTeam)
        {
            execute *= 4;
        }

        List<DemoPhase> phases = [new("plan", Round(plan)), new(FleetModel.Targets.SlowPhase, Round(execute))];
        if (outcome == "success")
        {
            phases.Add(new("review", Round(review)));
        }
        else
        {
            // A run that did not finish stopped somewhere in execute.
            execute *= rng.Between(0.2, 1);
            phases[1] = new(FleetModel.Targets.SlowPhase, Round(execute));
            review = 0;
        }

        // The run's duration is the sum of its phases as sent (rounded), so phase shares add up exactly.
        var duration = phases.Sum(p => p.DurationSeconds);
        double? estimate = rng.Chance(0.8) ? Round(agent.TypicalRunSeconds * rng.LogNormal(1.1, 0.25)) : null;
        events.Add(new DemoEvent
        {
            Type = "run",
            RunId = runId,
            Agent = agent.Name,
            Team = agent.Team,
            Environment = environment,
            Outcome = outcome,
            ErrorCategory = category,
            DurationSeconds = Math.Round(duration, 3),
            EstimatedDurationSeconds = estimate,
            Blockers = rng.Poisson(0.15) + (outcome == "blocked" ? 1 : 0),
            Retries = rng.Poisson(0.1) + failedCalls,
            LinesDelivered = agent.DeliversLines && outcome == "success" ? (long)rng.LogNormal(120, 0.8) : null,
            Phases = phases,
        });
    }

    private DemoEvent LlmCall(AgentProfile agent, ModelChoice model, double contextFactor, string? error)
    {
        var input = Math.Max(1, (long)rng.LogNormal(agent.TypicalInputTokens * contextFactor, 0.5));
        var cached = model == FleetModel.SelfHosted ? 0 : (long)(input * agent.CacheShare * rng.Between(0.5, 1));
        if (error is not null)
        {
            // A failed call is billed for nothing but may have sent its prompt; no output, no first token.
            var failedAfter = error == "timeout" ? rng.Between(20, 40) : rng.LogNormal(0.4, 0.5);
            return Call(agent, model, input, cached, 0, 0, Round(failedAfter), null, error);
        }

        var output = Math.Max(1, (long)rng.LogNormal(agent.TypicalOutputTokens, 0.6));
        var reasoning = model.Reasons ? (long)(output * rng.Between(0.3, 0.7)) : 0;
        var ttft = rng.LogNormal(model.Reasons ? 1.2 : 0.35, 0.4);
        var duration = ttft + (output / model.TokensPerSecond * rng.LogNormal(1, 0.2));
        return Call(agent, model, input, cached, output, reasoning, Round(duration), Math.Min(Round(ttft), Round(duration)), null);
    }

    private static DemoEvent Call(AgentProfile agent, ModelChoice model, long input, long cached, long output, long reasoning, double duration, double? ttft, string? error) => new()
    {
        Type = "llm_call",
        Agent = agent.Name,
        Team = agent.Team,
        Provider = model.Provider,
        Model = model.Model,
        ResponseModel = error is null ? model.ResponseModel : null,
        Operation = "chat",
        InputTokens = input,
        CachedInputTokens = cached > 0 ? cached : null,
        OutputTokens = output,
        ReasoningTokens = reasoning > 0 ? reasoning : null,
        DurationSeconds = duration,
        TimeToFirstTokenSeconds = ttft,
        ErrorType = error,
    };

    private DemoEvent Queue(QueueProfile q, double minutes, double activity, bool starved)
    {
        var arrivals = rng.Poisson(q.ArrivalsPerMinute * activity * minutes);
        // Capacity a third above the peak arrival rate: the backlog drains, slowly at the peak.
        var capacity = q.ArrivalsPerMinute * 1.3 * minutes;
        var waiting = backlog[q.Name] + arrivals;
        var served = starved ? 0 : Math.Min(waiting, rng.Poisson(capacity));
        backlog[q.Name] = waiting - served;
        long busy = starved || backlog[q.Name] > 0
            ? q.Executors
            : Math.Min(q.Executors, (long)Math.Round(q.Executors * served / Math.Max(capacity, 1e-9)));
        return new DemoEvent
        {
            Type = "queue_snapshot",
            Queue = q.Name,
            Depth = (long)backlog[q.Name],
            BusyExecutors = busy,
            IdleExecutors = q.Executors - busy,
        };
    }

    private static double Round(double seconds) => Math.Round(Math.Max(seconds, 0.001), 3);
}
