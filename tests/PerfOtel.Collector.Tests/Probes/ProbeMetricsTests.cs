using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PerfOtel.Collector.Probes;
using static PerfOtel.Collector.Tests.Probes.ProbeHost;

namespace PerfOtel.Collector.Tests.Probes;

/// <summary>The state machine and the instruments without any network.</summary>
public sealed class ProbeMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => services.GetRequiredService<IMeterFactory>();

    private static ProbeResult Ok => ProbeResult.Success(TimeSpan.FromMilliseconds(3));

    private static ProbeResult Fail => ProbeResult.Failed(TimeSpan.FromMilliseconds(3), "HTTP 503, expected 200");

    [Fact]
    public void Component_not_probed_yet_reports_no_series()
    {
        var metrics = new ProbeMetrics(Meters);
        using var up = new MetricCollector<int>(Meters, ProbeMetrics.MeterName, ProbeMetrics.Up);
        using var failures = new MetricCollector<long>(Meters, ProbeMetrics.MeterName, ProbeMetrics.ConsecutiveFailures);
        using var weight = new MetricCollector<double>(Meters, ProbeMetrics.MeterName, ProbeMetrics.Weight);
        var state = new ProbeState(new TcpProbe("db", 2, "127.0.0.1", 1));
        metrics.Track(state);

        Assert.Null(Gauge(up, "db"));
        Assert.Null(Gauge(failures, "db"));
        Assert.Null(Gauge(weight, "db"));

        state.Apply(Fail);
        Assert.Equal(0, Gauge(up, "db"));
        Assert.Equal(1, Gauge(failures, "db"));
        Assert.Equal(2, Gauge(weight, "db"));
    }

    [Fact]
    public void Consecutive_failures_count_and_reset_on_success()
    {
        var state = new ProbeState(new TcpProbe("db", 1, "127.0.0.1", 1));
        state.Apply(Fail);
        state.Apply(Fail);
        state.Apply(Fail);
        Assert.Equal(3, state.Latest!.ConsecutiveFailures);
        Assert.False(state.Latest.Up);

        state.Apply(Ok);
        Assert.Equal(0, state.Latest.ConsecutiveFailures);
        Assert.True(state.Latest.Up);
        Assert.Null(state.Latest.Failure);

        state.Apply(Fail);
        Assert.Equal(1, state.Latest.ConsecutiveFailures);
    }

    [Fact]
    public void Only_up_down_transitions_are_changes_and_the_start_counts_as_up()
    {
        var healthy = new ProbeState(new TcpProbe("a", 1, "127.0.0.1", 1));
        Assert.False(healthy.Apply(Ok));
        Assert.False(healthy.Apply(Ok));
        Assert.True(healthy.Apply(Fail));
        Assert.False(healthy.Apply(Fail));
        Assert.True(healthy.Apply(Ok));

        var brokenAtStart = new ProbeState(new TcpProbe("b", 1, "127.0.0.1", 1));
        Assert.True(brokenAtStart.Apply(Fail));
        Assert.False(brokenAtStart.Apply(Fail));
    }

    [Fact]
    public void Durations_carry_component_and_kind_and_use_second_buckets()
    {
        var metrics = new ProbeMetrics(Meters);
        using var durations = new MetricCollector<double>(Meters, ProbeMetrics.MeterName, ProbeMetrics.ProbeDuration);
        var state = new ProbeState(new HttpProbe("web", 1, new Uri("http://127.0.0.1:1/"), 200, null!));
        metrics.RecordDuration(state, TimeSpan.FromMilliseconds(250));

        var m = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(0.25, m.Value, 6);
        Assert.Equal("web", m.Tags[ProbeMetrics.AttrComponent]);
        Assert.Equal("http", m.Tags[ProbeMetrics.AttrProbeKind]);
        Assert.Equal("s", durations.Instrument!.Unit);
        Assert.Equal(10, ProbeMetrics.DurationBucketsSeconds[^1]);
    }

    public void Dispose() => services.Dispose();
}
