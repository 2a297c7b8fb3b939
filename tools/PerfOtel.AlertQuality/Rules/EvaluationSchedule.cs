using PerfOtel.AlertQuality.History;

namespace PerfOtel.AlertQuality.Rules;

/// <summary>
/// When a rule group is evaluated. Prometheus spreads groups over their interval: each group runs at a fixed offset
/// (a hash of its file and name, modulo the interval), so a rule that reads another group's record sees the value of
/// that group's last evaluation, up to one interval old. The backfill keeps that: every group is evaluated at its own
/// offset (a stable hash of file and group; not Prometheus' own hash, which also depends on the rule files' paths
/// on the server).
/// </summary>
internal static class EvaluationSchedule
{
    public static int Offset(Rule rule) => RandomSource.StableHash(0, rule.File + ";" + rule.Group) % rule.IntervalSeconds;

    /// <summary>The group's first evaluation at or after <paramref name="start"/>.</summary>
    public static long First(Rule rule, long start)
    {
        var interval = rule.IntervalSeconds;
        var offset = Offset(rule);
        var k = (start - offset + interval - 1) / interval;
        return (k * interval) + offset;
    }
}
