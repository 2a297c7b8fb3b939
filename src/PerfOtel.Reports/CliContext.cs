namespace PerfOtel.Reports;

/// <summary>
/// What a command needs from the process: its writers, its environment and its clock. Tests pass their own
/// to run the CLI in-process.
/// </summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, Func<string, string?> GetEnvironmentVariable, TimeProvider Time)
{
    /// <summary>How long one Prometheus query may take before Prometheus counts as unreachable.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static CliContext FromProcess() =>
        new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System);
}
