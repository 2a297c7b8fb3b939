namespace PerfOtel.AlertQuality.History;

/// <summary>What to generate: the seed picks the noise and the incidents; the rest the size.</summary>
internal sealed record HistoryOptions
{
    public int Seed { get; init; } = 1;

    public double Days { get; init; } = 10;

    /// <summary>The scrape interval of the history.</summary>
    public int StepSeconds { get; init; } = 30;

    /// <summary>The first scrape (a UTC midnight): fixed by default so that a seed always gives the same history.</summary>
    public long Start { get; init; } = 1740960000; // 2025-03-03T00:00:00Z, a Monday

    /// <summary>The first day is Prometheus' warm-up: baselines need a day of history; no incident, not scored.</summary>
    public double WarmupDays { get; init; } = 1;

    public IReadOnlyList<IncidentKind> Kinds { get; init; } = IncidentCatalog.All;

    /// <summary>Incidents per kind; null: each kind's rate per 10 days of scored history (at least one).</summary>
    public int? IncidentsPerKind { get; init; }

    public HistoryClock Clock()
    {
        if (Start % 86400 != 0)
        {
            throw new ArgumentException("the history starts at a UTC midnight");
        }

        return new HistoryClock(Start, StepSeconds, (int)Math.Round(Days * 86400 / StepSeconds));
    }

    public long ScoreFrom => Start + (long)(WarmupDays * 86400);
}
