using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Ingest;

/// <summary>A batch whose every event passed validation, ready to record.</summary>
public sealed class ValidatedBatch
{
    public List<RunRecord> Runs { get; } = [];

    public List<LlmCallRecord> LlmCalls { get; } = [];

    public int Count => Runs.Count + LlmCalls.Count;
}
