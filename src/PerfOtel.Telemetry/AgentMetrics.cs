using System.Diagnostics;
using System.Diagnostics.Metrics;
using PerfOtel.Telemetry.Cost;
using static PerfOtel.Telemetry.AgentSemanticConventions;

namespace PerfOtel.Telemetry;

/// <summary>
/// The agent instruments. One instance per meter factory (register as a singleton); recording is thread-safe and
/// does not allocate: tags go through <see cref="TagList"/> on the stack (at most eight tags per measurement).
/// </summary>
public sealed class AgentMetrics
{
    private readonly Histogram<double> operationDuration;
    private readonly Histogram<double> timeToFirstChunk;
    private readonly Histogram<long> tokenUsage;
    private readonly Histogram<double> toolDuration;
    private readonly Histogram<double> runDuration;
    private readonly Histogram<double> phaseDuration;
    private readonly Counter<double> estimatedDuration;
    private readonly Counter<double> estimatedActualDuration;
    private readonly Counter<long> blockers;
    private readonly Counter<long> linesDelivered;
    private readonly Counter<long> retries;
    private readonly Gauge<long> queueDepth;
    private readonly Gauge<long> queueExecutors;
    private readonly Gauge<double> queueSnapshotTimestamp;
    private readonly LlmCostRecorder? cost;

    /// <param name="meterFactory">Creates the <c>PerfOtel.Agents</c> meter.</param>
    /// <param name="cost">Prices model calls into USD when pricing is registered (<c>AddPerfOtelPricing</c>).</param>
    public AgentMetrics(IMeterFactory meterFactory, LlmCostRecorder? cost = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.cost = cost;
        var meter = meterFactory.Create(MeterName);
        operationDuration = Seconds(meter, OperationDuration, "Duration of GenAI operations (model calls) as seen by the client.", AgentBuckets.OperationDurationSeconds);
        timeToFirstChunk = Seconds(meter, TimeToFirstChunk, "Time from the request to the first streamed chunk of a model call.", AgentBuckets.OperationDurationSeconds);
        tokenUsage = meter.CreateHistogram(
            TokenUsage,
            unit: "{token}",
            description: "Tokens used per model call by type: input and output are totals; cached_input and reasoning are the parts of them that providers bill differently.",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = AgentBuckets.TokenUsage });
        toolDuration = Seconds(meter, ToolDuration, "Duration of tool calls made by agents.", AgentBuckets.OperationDurationSeconds);
        runDuration = Seconds(meter, RunDuration, "Duration of agent runs by outcome.", AgentBuckets.RunDurationSeconds);
        phaseDuration = Seconds(meter, RunPhaseDuration, "Time agent runs spent per named phase.", AgentBuckets.RunDurationSeconds);
        estimatedDuration = meter.CreateCounter<double>(RunEstimatedDuration, "s", "Sum of the estimated durations of runs that carried an estimate.");
        estimatedActualDuration = meter.CreateCounter<double>(RunEstimatedActualDuration, "s", "Sum of the actual durations of the runs that carried an estimate (speedup = estimate / actual).");
        blockers = meter.CreateCounter<long>(RunBlockers, "{blocker}", "Blockers hit by agent runs.");
        linesDelivered = meter.CreateCounter<long>(RunLinesDelivered, "{line}", "Lines delivered by agent runs.");
        retries = meter.CreateCounter<long>(RunRetries, "{retry}", "Retries and rework loops within agent runs.");
        queueDepth = meter.CreateGauge<long>(QueueDepth, "{item}", "Items waiting in a work queue (last snapshot).");
        queueExecutors = meter.CreateGauge<long>(QueueExecutors, "{executor}", "Executors of a work queue by state busy/idle (last snapshot).");
        queueSnapshotTimestamp = meter.CreateGauge<double>(QueueSnapshotTimestamp, "s", "Unix time at which this process recorded the latest snapshot of a work queue; among collector replicas the newest one holds the current state.");
    }

    /// <summary>Starts a run scope; dispose it to record the run (see <see cref="AgentRunScope"/>).</summary>
    public AgentRunScope StartRun(string agent, string? team = null, string? environment = null) =>
        new(this, agent, team, environment);

    /// <summary>Records a finished run: duration by outcome, phases, estimate, blockers, lines and retries.</summary>
    public void RecordRun(in RunRecord run)
    {
        var owner = new TagList { { AttrAgentName, run.Agent } };
        AddOptional(ref owner, AttrTeam, run.Team);
        AddOptional(ref owner, AttrEnvironment, run.Environment);

        var tags = owner;
        tags.Add(AttrRunOutcome, run.Outcome.ToAttribute());
        if (run.ErrorCategory is not null && run.Outcome != RunOutcome.Success)
        {
            tags.Add(AttrErrorType, run.ErrorCategory);
        }

        runDuration.Record(run.DurationSeconds, tags);
        if (run.EstimatedDurationSeconds is { } estimate)
        {
            estimatedDuration.Add(estimate, owner);
            estimatedActualDuration.Add(run.DurationSeconds, owner);
        }

        if (run.Blockers > 0)
        {
            blockers.Add(run.Blockers, owner);
        }

        if (run.LinesDelivered > 0)
        {
            linesDelivered.Add(run.LinesDelivered, owner);
        }

        if (run.Retries > 0)
        {
            retries.Add(run.Retries, owner);
        }

        if (run.Phases is { } phases)
        {
            for (var i = 0; i < phases.Count; i++)
            {
                var phaseTags = owner;
                phaseTags.Add(AttrRunPhase, phases[i].Name);
                phaseDuration.Record(phases[i].DurationSeconds, phaseTags);
            }
        }
    }

    /// <summary>Records a model call: its duration, time to first chunk, and tokens by type.</summary>
    public void RecordLlmCall(in LlmCallRecord call)
    {
        var tags = new TagList
        {
            { AttrOperationName, call.Operation },
            { AttrProviderName, call.Provider },
            { AttrRequestModel, call.Model },
            { AttrAgentName, call.Agent },
        };
        AddOptional(ref tags, AttrTeam, call.Team);

        var durationTags = tags;
        AddOptional(ref durationTags, AttrResponseModel, call.ResponseModel);
        AddOptional(ref durationTags, AttrErrorType, call.ErrorType);
        operationDuration.Record(call.DurationSeconds, durationTags);
        if (call.TimeToFirstTokenSeconds is { } ttft)
        {
            timeToFirstChunk.Record(ttft, durationTags);
        }

        // Tokens are recorded for failed calls too: a provider bills the input of a call that failed late.
        var success = call.ErrorType is null;
        RecordTokens(call.InputTokens, success, tags, TokenTypeInput);
        RecordTokens(call.OutputTokens, success, tags, TokenTypeOutput);
        RecordTokens(call.CachedInputTokens, success: false, tags, TokenTypeCachedInput);
        RecordTokens(call.ReasoningTokens, success: false, tags, TokenTypeReasoning);
        cost?.Record(call);
    }

    /// <summary>Records a tool call.</summary>
    public void RecordToolCall(in ToolCallRecord call)
    {
        var tags = new TagList { { AttrToolName, call.Tool }, { AttrAgentName, call.Agent } };
        AddOptional(ref tags, AttrTeam, call.Team);
        AddOptional(ref tags, AttrErrorType, call.ErrorType);
        toolDuration.Record(call.DurationSeconds, tags);
    }

    /// <summary>
    /// Records the latest state of a work queue, and when it was recorded: behind a load balancer each snapshot reaches
    /// one collector replica, and the others keep older values, so queries pick the replica with the newest timestamp.
    /// </summary>
    public void RecordQueue(in QueueSnapshot snapshot)
    {
        queueSnapshotTimestamp.Record(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, new KeyValuePair<string, object?>(AttrQueueName, snapshot.Queue));
        queueDepth.Record(snapshot.Depth, new KeyValuePair<string, object?>(AttrQueueName, snapshot.Queue));
        queueExecutors.Record(snapshot.BusyExecutors, new KeyValuePair<string, object?>(AttrQueueName, snapshot.Queue), new KeyValuePair<string, object?>(AttrExecutorState, "busy"));
        queueExecutors.Record(snapshot.IdleExecutors, new KeyValuePair<string, object?>(AttrQueueName, snapshot.Queue), new KeyValuePair<string, object?>(AttrExecutorState, "idle"));
    }

    /// <summary>
    /// A zero count is recorded only for the always-present types of a successful call, so the series exist
    /// from the first call without inflating the token histograms' counts with empty parts.
    /// </summary>
    private void RecordTokens(long count, bool success, TagList tags, string type)
    {
        if (count > 0 || success)
        {
            tags.Add(AttrTokenType, type);
            tokenUsage.Record(count, tags);
        }
    }

    private static void AddOptional(ref TagList tags, string key, string? value)
    {
        if (value is not null)
        {
            tags.Add(key, value);
        }
    }

    private static Histogram<double> Seconds(Meter meter, string name, string description, IReadOnlyList<double> buckets) =>
        meter.CreateHistogram(name, unit: "s", description: description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
}
