using System.Diagnostics;

namespace PerfOtel.Telemetry;

/// <summary>A started clock for timing one operation without allocating (a monotonic timestamp in a struct).</summary>
public readonly struct AgentTimer
{
    private readonly long started;

    private AgentTimer(long started) => this.started = started;

    public static AgentTimer Start() => new(Stopwatch.GetTimestamp());

    public double ElapsedSeconds => Stopwatch.GetElapsedTime(started).TotalSeconds;
}
