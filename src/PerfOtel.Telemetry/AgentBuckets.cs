namespace PerfOtel.Telemetry;

/// <summary>
/// Explicit histogram boundaries. The SDK default boundaries suit milliseconds; in seconds everything would land in
/// one bucket. Operation duration and token usage follow the GenAI semantic conventions' recommendations.
/// </summary>
public static class AgentBuckets
{
    public static IReadOnlyList<double> OperationDurationSeconds { get; } =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    public static IReadOnlyList<long> TokenUsage { get; } =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    /// <summary>Agent runs last seconds to hours.</summary>
    public static IReadOnlyList<double> RunDurationSeconds { get; } =
        [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
}
