namespace PerfOtel.Telemetry;

/// <summary>
/// One agent run in progress: times the run and its phases, collects blockers, lines and retries, and records
/// everything once, when disposed. A run disposed without an outcome counts as a failure (<c>error.type</c>
/// <c>unfinished</c>): an exception that skipped the happy path is a failed run, not a lost one.
/// </summary>
public sealed class AgentRunScope : IDisposable
{
    private readonly AgentMetrics metrics;
    private readonly AgentTimer timer = AgentTimer.Start();
    private readonly List<PhaseTiming> phases = [];
    private RunOutcome? outcome;
    private string? errorCategory;
    private string? openPhase;
    private AgentTimer phaseTimer;
    private int blockers;
    private int retries;
    private long lines;
    private bool disposed;

    internal AgentRunScope(AgentMetrics metrics, string agent, string? team, string? environment)
    {
        this.metrics = metrics;
        Agent = agent;
        Team = team;
        Environment = environment;
    }

    public string Agent { get; }

    public string? Team { get; }

    public string? Environment { get; }

    /// <summary>The duration estimated up front; with it, speedup = estimate / actual is charted.</summary>
    public double? EstimatedDurationSeconds { get; set; }

    /// <summary>Ends the open phase, if any, and starts timing a new one.</summary>
    public void BeginPhase(string name)
    {
        EndPhase();
        openPhase = name;
        phaseTimer = AgentTimer.Start();
    }

    /// <summary>Ends the open phase (also done by the next <see cref="BeginPhase"/> and by dispose).</summary>
    public void EndPhase()
    {
        if (openPhase is not null)
        {
            phases.Add(new PhaseTiming(openPhase, phaseTimer.ElapsedSeconds));
            openPhase = null;
        }
    }

    public void AddBlocker() => blockers++;

    public void AddRetry() => retries++;

    public void AddLinesDelivered(long count) => lines += count;

    public void Succeed() => outcome = RunOutcome.Success;

    public void Fail(string errorCategory) => End(RunOutcome.Failure, errorCategory);

    public void Block(string reason) => End(RunOutcome.Blocked, reason);

    public void Cancel() => outcome = RunOutcome.Cancelled;

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        EndPhase();
        metrics.RecordRun(new RunRecord(Agent, outcome ?? RunOutcome.Failure, timer.ElapsedSeconds, outcome is null ? "unfinished" : errorCategory)
        {
            Team = Team,
            Environment = Environment,
            EstimatedDurationSeconds = EstimatedDurationSeconds,
            Blockers = blockers,
            Retries = retries,
            LinesDelivered = lines,
            Phases = phases,
        });
    }

    private void End(RunOutcome o, string category)
    {
        outcome = o;
        errorCategory = category;
    }
}
