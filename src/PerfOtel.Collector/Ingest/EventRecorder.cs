using PerfOtel.Collector.Observability;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Ingest;

/// <summary>Records a validated batch through the same library .NET agents use in-process.</summary>
public sealed class EventRecorder(AgentMetrics agents, CollectorMetrics collector)
{
    public void Record(ValidatedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var run in batch.Runs)
        {
            agents.RecordRun(run);
        }

        foreach (var call in batch.LlmCalls)
        {
            agents.RecordLlmCall(call);
        }

        if (batch.Runs.Count > 0)
        {
            collector.EventsAccepted(EventTypes.Run, batch.Runs.Count);
        }

        if (batch.LlmCalls.Count > 0)
        {
            collector.EventsAccepted(EventTypes.LlmCall, batch.LlmCalls.Count);
        }
    }
}
