using PerfOtel.Collector.Labels;
using PerfOtel.Collector.Observability;
using PerfOtel.Telemetry;
using static PerfOtel.Telemetry.AgentSemanticConventions;

namespace PerfOtel.Collector.Ingest;

/// <summary>
/// Records a validated batch through the same library .NET agents use in-process, after capping each label's
/// distinct values (the guard is applied here, not in validation, so a rejected batch never takes up a slot).
/// </summary>
public sealed class EventRecorder(AgentMetrics agents, CollectorMetrics collector, LabelCardinalityGuard guard)
{
    public void Record(ValidatedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var run in batch.Runs)
        {
            agents.RecordRun(run with
            {
                Agent = guard.Admit(AttrAgentName, run.Agent),
                Team = guard.AdmitOptional(AttrTeam, run.Team),
                Environment = guard.AdmitOptional(AttrEnvironment, run.Environment),
                ErrorCategory = guard.AdmitOptional(AttrErrorType, run.ErrorCategory),
                Phases = run.Phases is null ? null : [.. run.Phases.Select(p => p with { Name = guard.Admit(AttrRunPhase, p.Name) })],
            });
        }

        foreach (var call in batch.LlmCalls)
        {
            agents.RecordLlmCall(call with
            {
                Provider = guard.Admit(AttrProviderName, call.Provider),
                Model = guard.Admit(AttrRequestModel, call.Model),
                ResponseModel = guard.AdmitOptional(AttrResponseModel, call.ResponseModel),
                Operation = guard.Admit(AttrOperationName, call.Operation),
                Agent = guard.Admit(AttrAgentName, call.Agent),
                Team = guard.AdmitOptional(AttrTeam, call.Team),
                ErrorType = guard.AdmitOptional(AttrErrorType, call.ErrorType),
            });
        }

        foreach (var call in batch.ToolCalls)
        {
            agents.RecordToolCall(call with
            {
                Tool = guard.Admit(AttrToolName, call.Tool),
                Agent = guard.Admit(AttrAgentName, call.Agent),
                Team = guard.AdmitOptional(AttrTeam, call.Team),
                ErrorType = guard.AdmitOptional(AttrErrorType, call.ErrorType),
            });
        }

        foreach (var q in batch.Queues)
        {
            agents.RecordQueue(q with { Queue = guard.Admit(AttrQueueName, q.Queue) });
        }

        foreach (var m in batch.Custom)
        {
            for (var i = 0; i < m.Tags.Length; i++)
            {
                if (m.Tags[i].Value is string v)
                {
                    m.Tags[i] = new(m.Tags[i].Key, guard.Admit(m.Metric.Definition.Name + "/" + m.Tags[i].Key, v));
                }
            }

            m.Metric.Record(m.Value, m.Tags);
        }

        Count(EventTypes.Run, batch.Runs.Count);
        Count(EventTypes.LlmCall, batch.LlmCalls.Count);
        Count(EventTypes.ToolCall, batch.ToolCalls.Count);
        Count(EventTypes.QueueSnapshot, batch.Queues.Count);
        Count(EventTypes.Metric, batch.Custom.Count);
    }

    private void Count(string type, int n)
    {
        if (n > 0)
        {
            collector.EventsAccepted(type, n);
        }
    }
}
