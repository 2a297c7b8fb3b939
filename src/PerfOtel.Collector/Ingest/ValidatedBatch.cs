using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Ingest;

/// <summary>A batch whose every event passed validation, ready to record.</summary>
public sealed class ValidatedBatch
{
    public List<RunRecord> Runs { get; } = [];

    public List<LlmCallRecord> LlmCalls { get; } = [];

    public List<ToolCallRecord> ToolCalls { get; } = [];

    public List<QueueSnapshot> Queues { get; } = [];

    public List<CustomMeasurement> Custom { get; } = [];

    public int Count => Runs.Count + LlmCalls.Count + ToolCalls.Count + Queues.Count + Custom.Count;
}
