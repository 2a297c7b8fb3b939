using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using PerfOtel.Collector.Budgets;

namespace PerfOtel.Collector.Tests.Budgets;

/// <summary>A clock the test sets; only its time is used.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A temporary directory, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "perfotel-budgets-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes beside the file and renames over it, as deploy tools do.</summary>
    public string Replace(string name, string content)
    {
        var tmp = File(name + ".tmp");
        System.IO.File.WriteAllText(tmp, content);
        System.IO.File.Move(tmp, File(name), overwrite: true);
        return File(name);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>The budget services over a configuration, a manual clock and a fake log; started like the host does.</summary>
internal sealed class BudgetHarness : IDisposable
{
    private readonly ServiceProvider services;

    public BudgetHarness(IConfiguration configuration, DateTimeOffset now)
    {
        Clock = new ManualClock(now);
        services = new ServiceCollection()
            .AddFakeLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddBudgets(configuration)
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        Limits = new(factory, BudgetMetrics.MeterName, BudgetMetrics.Limit);
        Starts = new(factory, BudgetMetrics.MeterName, BudgetMetrics.PeriodStart);
        Ends = new(factory, BudgetMetrics.MeterName, BudgetMetrics.PeriodEnd);
        Start(services);
    }

    public ManualClock Clock { get; }

    public MetricCollector<double> Limits { get; }

    public MetricCollector<double> Starts { get; }

    public MetricCollector<double> Ends { get; }

    public BudgetSource Source => services.GetRequiredService<BudgetSource>();

    public FakeLogCollector Logs => services.GetFakeLogCollector();

    /// <summary>What host start does: constructs the hosted services (and so loads the budgets).</summary>
    public static void Start(IServiceProvider services) => _ = services.GetServices<IHostedService>().ToList();

    /// <summary>Observes the gauges now; by budget name and period.</summary>
    public Dictionary<string, double> Observe(MetricCollector<double> gauge)
    {
        gauge.Clear();
        gauge.RecordObservableInstruments();
        return gauge.GetMeasurementSnapshot().ToDictionary(m => $"{m.Tags["budget.scope"]}/{m.Tags["budget.name"]}/{m.Tags["budget.period"]}", m => m.Value);
    }

    public void Dispose()
    {
        Limits.Dispose();
        Starts.Dispose();
        Ends.Dispose();
        services.Dispose();
    }

    public static IConfiguration Inline(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    /// <summary>Polls until <paramref name="condition"/> holds or a few seconds pass (file events are asynchronous).</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(8); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (condition())
            {
                return true;
            }
        }

        return condition();
    }
}
