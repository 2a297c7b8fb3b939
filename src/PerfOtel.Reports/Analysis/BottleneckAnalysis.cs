using PerfOtel.Reports.Data;

namespace PerfOtel.Reports.Analysis;

/// <summary>Where run time goes: phases ranked by share of run time, the slowest agents and models.</summary>
internal static class BottleneckAnalysis
{
    public const int Top = 5;

    public static Bottlenecks Find(PeriodData period)
    {
        var phaseTotal = period.Phases.Sum(p => p.Seconds);
        // Share of the runs' total duration when runs report it (phases may not cover a whole run), else of phase time.
        var runSeconds = period.Kpis.Total.RunSeconds;
        var denominator = runSeconds >= phaseTotal && runSeconds > 0 ? runSeconds : phaseTotal;
        var phases = period.Phases
            .GroupBy(p => p.Phase)
            .Select(g =>
            {
                var top = g.GroupBy(p => p.Agent).Select(a => (Agent: a.Key, Seconds: a.Sum(p => p.Seconds))).MaxBy(a => a.Seconds);
                return (Phase: g.Key, Seconds: g.Sum(p => p.Seconds), top.Agent, TopSeconds: top.Seconds);
            })
            .OrderByDescending(p => p.Seconds).ThenBy(p => p.Phase, StringComparer.Ordinal)
            .Select((p, i) => new PhaseShare(i + 1, p.Phase, p.Seconds, denominator > 0 ? p.Seconds / denominator : 0, p.Agent, p.TopSeconds))
            .ToList();

        var agents = period.Kpis.Agents
            .Where(a => a.Values.P95RunDurationSeconds is not null)
            .OrderByDescending(a => a.Values.P95RunDurationSeconds).ThenBy(a => a.Agent, StringComparer.Ordinal)
            .Take(Top)
            .Select((a, i) => new SlowAgent(i + 1, a.Agent, a.Values.P95RunDurationSeconds, a.Values.P50RunDurationSeconds, a.Values.Runs))
            .ToList();

        var calls = period.Models.GroupBy(m => (m.Provider, m.Model)).ToDictionary(g => g.Key, g => g.Sum(m => m.Calls));
        var models = period.Latencies
            .Where(l => l.P95Seconds is not null)
            .OrderByDescending(l => l.P95Seconds).ThenBy(l => l.Model, StringComparer.Ordinal)
            .Take(Top)
            .Select((l, i) =>
            {
                var n = calls.GetValueOrDefault((l.Provider, l.Model));
                return new SlowModel(i + 1, l.Provider, l.Model, l.P95Seconds, n > 0 ? l.Seconds / n : null, n);
            })
            .ToList();

        return new Bottlenecks(phases, agents, models);
    }
}
