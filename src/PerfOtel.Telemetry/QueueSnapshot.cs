namespace PerfOtel.Telemetry;

/// <summary>The state of a work queue at one moment: its backlog and its executors.</summary>
/// <param name="Queue">Queue name (<c>agent.queue.name</c>).</param>
/// <param name="Depth">Items waiting.</param>
/// <param name="BusyExecutors">Executors working.</param>
/// <param name="IdleExecutors">Executors waiting for work.</param>
public readonly record struct QueueSnapshot(string Queue, long Depth, long BusyExecutors, long IdleExecutors);
