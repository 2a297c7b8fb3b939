using PerfOtel.DemoFleet.Fleet;
using PerfOtel.DemoFleet.Incidents;

namespace PerfOtel.DemoFleet.Tests;

public sealed class ScheduleTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_rotation_plays_each_kind_in_turn_with_calm_in_between()
    {
        var s = IncidentSchedule.Rotation(20 * Min, 5 * Min, IncidentKinds.All);
        Assert.Null(s.ActiveAt(19 * Min));
        Assert.Equal(IncidentKind.ErrorSpike, s.ActiveAt(20 * Min)?.Kind);
        Assert.Equal(IncidentKind.ErrorSpike, s.ActiveAt(24.9 * Min)?.Kind);
        Assert.Null(s.ActiveAt(25 * Min));
        Assert.Equal(IncidentKind.SlowPhase, s.ActiveAt(41 * Min)?.Kind);
        Assert.Equal(IncidentKind.QueueStarvation, s.ActiveAt(100 * Min)?.Kind);
        Assert.Equal(IncidentKind.ErrorSpike, s.ActiveAt(120 * Min)?.Kind);
    }

    [Fact]
    public void An_incident_longer_than_its_period_is_cut_so_that_alerts_can_resolve()
    {
        var s = IncidentSchedule.Rotation(4 * Min, 10 * Min, [IncidentKind.CostSpike]);
        Assert.Equal(2 * Min, s.ActiveAt(4 * Min)!.Length);
        Assert.Null(s.ActiveAt(7 * Min));
    }

    [Fact]
    public void No_period_or_no_kinds_means_no_incidents()
    {
        Assert.True(IncidentSchedule.Rotation(TimeSpan.Zero, 5 * Min, IncidentKinds.All).IsEmpty);
        Assert.True(IncidentSchedule.Rotation(5 * Min, 5 * Min, []).IsEmpty);
        Assert.Null(IncidentSchedule.None.ActiveAt(TimeSpan.FromDays(3)));
    }

    [Fact]
    public void An_explicit_list_plays_exactly_what_it_says()
    {
        Assert.True(IncidentSchedule.TryParseList("component-down@30s+1m,queue-starvation@5m+2m", out var list, out var error), error);
        var s = IncidentSchedule.Explicit(list);
        Assert.Null(s.ActiveAt(TimeSpan.FromSeconds(29)));
        Assert.Equal(IncidentKind.ComponentDown, s.ActiveAt(TimeSpan.FromSeconds(30))?.Kind);
        Assert.Null(s.ActiveAt(TimeSpan.FromSeconds(90)));
        Assert.Equal(IncidentKind.QueueStarvation, s.ActiveAt(6 * Min)?.Kind);
        Assert.Equal("component-down@30s+1m, queue-starvation@5m+2m", s.ToString());
    }

    [Fact]
    public void A_compressed_day_has_quiet_nights_and_busy_afternoons()
    {
        var day = new DailyCycle(TimeSpan.FromHours(1), startHour: 0, nightShare: 0.15);
        Assert.Equal(0, day.HourAt(TimeSpan.Zero), 6);
        Assert.Equal(12, day.HourAt(TimeSpan.FromMinutes(30)), 6);
        Assert.Equal(1, day.HourAt(TimeSpan.FromMinutes(62.5)), 6);
        Assert.Equal(0.15, day.Activity(3), 2);
        Assert.Equal(1, day.Activity(15), 6);
        Assert.InRange(day.Activity(10.5), 0.8, 0.9);
        Assert.True(day.Activity(13) > day.Activity(8));
        for (var h = 0.0; h < 24; h += 0.25)
        {
            Assert.InRange(day.Activity(h), 0.15, 1);
        }
    }
}
