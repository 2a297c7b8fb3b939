using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using PerfOtel.Collector.Probes;

namespace PerfOtel.Collector.Tests.Probes;

/// <summary>
/// A generic host with <c>AddComponentProbes</c> over in-memory settings, fake logging, and collectors for the four
/// probe instruments. Waits poll a condition with a bound; they never time the system.
/// </summary>
public sealed class ProbeHost : IAsyncDisposable
{
    private static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(15);
    private bool started;

    private ProbeHost(IHost host)
    {
        Host = host;
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        Up = new(meters, ProbeMetrics.MeterName, ProbeMetrics.Up);
        Failures = new(meters, ProbeMetrics.MeterName, ProbeMetrics.ConsecutiveFailures);
        Weight = new(meters, ProbeMetrics.MeterName, ProbeMetrics.Weight);
        Durations = new(meters, ProbeMetrics.MeterName, ProbeMetrics.ProbeDuration);
    }

    public IHost Host { get; }

    public MetricCollector<int> Up { get; }

    public MetricCollector<long> Failures { get; }

    public MetricCollector<double> Weight { get; }

    public MetricCollector<double> Durations { get; }

    public FakeLogCollector Logs => Host.Services.GetFakeLogCollector();

    public ProbeWorker Worker => Host.Services.GetServices<IHostedService>().OfType<ProbeWorker>().Single();

    /// <summary>Builds the host; start it with <see cref="StartAsync"/> (collectors are listening already).</summary>
    public static ProbeHost Create(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFakeLogging();
        builder.Services.AddComponentProbes(builder.Configuration);
        return new ProbeHost(builder.Build());
    }

    public static async Task<ProbeHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var h = Create(settings);
        await h.StartHostAsync();
        return h;
    }

    /// <summary>Starts the host (options are validated here); only a started host is stopped on dispose.</summary>
    public async Task StartHostAsync()
    {
        await Host.StartAsync(TestContext.Current.CancellationToken);
        started = true;
    }

    /// <summary>Settings for the given timing and components (each a list of Name/Kind/Url/... pairs).</summary>
    public static Dictionary<string, string?> Settings(double intervalSeconds, double timeoutSeconds, params Dictionary<string, string?>[] components)
    {
        var s = new Dictionary<string, string?>
        {
            ["PerfOtel:Probes:IntervalSeconds"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PerfOtel:Probes:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < components.Length; i++)
        {
            foreach (var (k, v) in components[i])
            {
                s[$"PerfOtel:Probes:Components:{i}:{k}"] = v;
            }
        }

        return s;
    }

    public static Dictionary<string, string?> Http(string name, string url, int? expectedStatus = null, double? weight = null)
    {
        var c = new Dictionary<string, string?> { ["Name"] = name, ["Kind"] = "http", ["Url"] = url };
        if (expectedStatus is { } e)
        {
            c["ExpectedStatus"] = e.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (weight is { } w)
        {
            c["Weight"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return c;
    }

    public static Dictionary<string, string?> Tcp(string name, int port, double? weight = null)
    {
        var c = new Dictionary<string, string?> { ["Name"] = name, ["Kind"] = "tcp", ["Host"] = "127.0.0.1", ["Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (weight is { } w)
        {
            c["Weight"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return c;
    }

    /// <summary>The current value of an observable gauge for a component; null when the component is not exposed.</summary>
    public static T? Gauge<T>(MetricCollector<T> gauge, string component) where T : struct
    {
        gauge.RecordObservableInstruments();
        T? value = null;
        foreach (var m in gauge.GetMeasurementSnapshot(clear: true))
        {
            if ((string?)m.Tags[ProbeMetrics.AttrComponent] == component)
            {
                value = m.Value;
            }
        }

        return value;
    }

    public int ProbeCount(string component) =>
        Durations.GetMeasurementSnapshot().Count(m => (string?)m.Tags[ProbeMetrics.AttrComponent] == component);

    public ProbeSnapshot? State(string component) => Worker.States.Single(s => s.Probe.Name == component).Latest;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test, saying <paramref name="what"/>, after a bound.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + WaitBound;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Not within {WaitBound.TotalSeconds} s: {what}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (started)
        {
            await Host.StopAsync(CancellationToken.None);
        }

        Host.Dispose();
        Up.Dispose();
        Failures.Dispose();
        Weight.Dispose();
        Durations.Dispose();
    }
}
