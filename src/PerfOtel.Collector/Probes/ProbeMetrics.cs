using System.Diagnostics.Metrics;

namespace PerfOtel.Collector.Probes;

/// <summary>
/// Instruments of the component probes (meter <see cref="MeterName"/>). The gauges read the latest
/// <see cref="ProbeState"/> at collection time; a component is exposed from its first result on, so the weighted score
/// <c>sum(up*weight)/sum(weight)</c> never counts a component whose state is not known yet.
/// </summary>
public sealed class ProbeMetrics
{
    public const string MeterName = "PerfOtel.Probes";
    public const string Up = "perfotel.component.up";
    public const string ProbeDuration = "perfotel.component.probe.duration";
    public const string ConsecutiveFailures = "perfotel.component.consecutive_failures";
    public const string Weight = "perfotel.component.weight";
    public const string AttrComponent = "component";
    public const string AttrProbeKind = "probe.kind";

    /// <summary>Loopback answers in milliseconds, a timeout lands near the top (timeouts are seconds).</summary>
    public static IReadOnlyList<double> DurationBucketsSeconds { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> duration;
    private readonly Lock gate = new();
    private ProbeState[] states = [];

    public ProbeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        duration = meter.CreateHistogram(
            ProbeDuration,
            unit: "s",
            description: "Duration of component health probes, failed ones included (a timeout records the timeout).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBucketsSeconds });
        meter.CreateObservableGauge(Up, ObserveUp, unit: "1", description: "1 when the latest probe of the component succeeded, else 0.");
        meter.CreateObservableGauge(ConsecutiveFailures, ObserveFailures, unit: "{failure}", description: "Failed probes of the component since its last success.");
        meter.CreateObservableGauge(Weight, ObserveWeight, unit: "1", description: "Configured weight of the component in the health score.");
    }

    /// <summary>Exposes the component's state from its first result on.</summary>
    public void Track(ProbeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (gate)
        {
            // Copy on write: collection reads the array without taking the lock.
            states = [.. states, state];
        }
    }

    public void RecordDuration(ProbeState state, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(state);
        duration.Record(elapsed.TotalSeconds, state.Tags);
    }

    private List<Measurement<int>> ObserveUp()
    {
        var current = Volatile.Read(ref states);
        var result = new List<Measurement<int>>(current.Length);
        foreach (var s in current)
        {
            if (s.Latest is { } l)
            {
                result.Add(new(l.Up ? 1 : 0, s.Tags));
            }
        }

        return result;
    }

    private List<Measurement<long>> ObserveFailures()
    {
        var current = Volatile.Read(ref states);
        var result = new List<Measurement<long>>(current.Length);
        foreach (var s in current)
        {
            if (s.Latest is { } l)
            {
                result.Add(new(l.ConsecutiveFailures, s.Tags));
            }
        }

        return result;
    }

    private List<Measurement<double>> ObserveWeight()
    {
        var current = Volatile.Read(ref states);
        var result = new List<Measurement<double>>(current.Length);
        foreach (var s in current)
        {
            if (s.Latest is not null)
            {
                result.Add(new(s.Probe.Weight, s.Tags));
            }
        }

        return result;
    }
}
