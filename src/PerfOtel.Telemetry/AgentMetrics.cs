using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PerfOtel.Telemetry;

/// <summary>
/// The agent instruments. One instance per meter factory (register as a singleton); recording is thread-safe and
/// does not allocate: tags go through <see cref="TagList"/> on the stack.
/// </summary>
public sealed class AgentMetrics
{
    private readonly Histogram<double> operationDuration;
    private readonly Histogram<long> tokenUsage;
    private readonly Histogram<double> runDuration;

    public AgentMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(AgentSemanticConventions.MeterName);
        operationDuration = meter.CreateHistogram(
            AgentSemanticConventions.OperationDuration,
            unit: "s",
            description: "Duration of GenAI operations (model calls) as seen by the client.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentBuckets.OperationDurationSeconds });
        tokenUsage = meter.CreateHistogram(
            AgentSemanticConventions.TokenUsage,
            unit: "{token}",
            description: "Number of input and output tokens used per model call.",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = AgentBuckets.TokenUsage });
        runDuration = meter.CreateHistogram(
            AgentSemanticConventions.RunDuration,
            unit: "s",
            description: "Duration of agent runs by outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentBuckets.RunDurationSeconds });
    }

    /// <summary>Records a finished run.</summary>
    public void RecordRun(in RunRecord run)
    {
        var tags = new TagList
        {
            { AgentSemanticConventions.AttrAgentName, run.Agent },
            { AgentSemanticConventions.AttrRunOutcome, run.Outcome.ToAttribute() },
        };
        if (run.ErrorCategory is not null && run.Outcome != RunOutcome.Success)
        {
            tags.Add(AgentSemanticConventions.AttrErrorType, run.ErrorCategory);
        }

        runDuration.Record(run.DurationSeconds, tags);
    }

    /// <summary>Records a model call: its duration and its input and output token counts.</summary>
    public void RecordLlmCall(in LlmCallRecord call)
    {
        var tags = new TagList
        {
            { AgentSemanticConventions.AttrOperationName, call.Operation },
            { AgentSemanticConventions.AttrProviderName, call.Provider },
            { AgentSemanticConventions.AttrRequestModel, call.Model },
            { AgentSemanticConventions.AttrAgentName, call.Agent },
        };
        if (call.ErrorType is not null)
        {
            operationDuration.Record(call.DurationSeconds, WithTag(tags, AgentSemanticConventions.AttrErrorType, call.ErrorType));
        }
        else
        {
            operationDuration.Record(call.DurationSeconds, tags);
        }

        // Token usage is recorded for failed calls too: a provider bills input tokens of a call that failed late.
        if (call.InputTokens > 0 || call.ErrorType is null)
        {
            tokenUsage.Record(call.InputTokens, WithTag(tags, AgentSemanticConventions.AttrTokenType, AgentSemanticConventions.TokenTypeInput));
        }

        if (call.OutputTokens > 0 || call.ErrorType is null)
        {
            tokenUsage.Record(call.OutputTokens, WithTag(tags, AgentSemanticConventions.AttrTokenType, AgentSemanticConventions.TokenTypeOutput));
        }
    }

    private static TagList WithTag(TagList tags, string key, string value)
    {
        tags.Add(key, value);
        return tags;
    }
}
