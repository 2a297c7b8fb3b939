namespace PerfOtel.Collector.Probes;

/// <summary>Source-generated log messages of the probes: state changes only, never one line per probe.</summary>
internal static partial class ProbeLog
{
    [LoggerMessage(100, LogLevel.Information, "Probing {Count} components every {IntervalSeconds} s (timeout {TimeoutSeconds} s)")]
    public static partial void Started(ILogger logger, int count, double intervalSeconds, double timeoutSeconds);

    [LoggerMessage(101, LogLevel.Warning, "Component {Component} ({ProbeKind}) is down: {Failure}")]
    public static partial void ComponentDown(ILogger logger, string component, string probeKind, string? failure);

    [LoggerMessage(102, LogLevel.Information, "Component {Component} ({ProbeKind}) is up again after {Failures} failed probes")]
    public static partial void ComponentUp(ILogger logger, string component, string probeKind, long failures);

    [LoggerMessage(103, LogLevel.Error, "Probe loop of component {Component} failed; it goes on at the next interval")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string component);
}
