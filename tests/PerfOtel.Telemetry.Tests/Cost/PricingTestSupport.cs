using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Telemetry.Tests.Cost;

/// <summary>A clock the test sets; only its time is used (timers stay real).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A temporary directory with a catalog file in it, deleted at the end of the test.</summary>
internal sealed class TempCatalog : IDisposable
{
    public TempCatalog(string json)
    {
        Directory.CreateDirectory(Dir);
        Write(json);
    }

    public string Dir { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "perfotel-pricing-" + Guid.NewGuid().ToString("N"));

    public string Path => System.IO.Path.Combine(Dir, "catalog.json");

    /// <summary>Replaces the file atomically (write beside it, rename over), as deploy tools do.</summary>
    public void Replace(string json)
    {
        var tmp = System.IO.Path.Combine(Dir, "catalog.json.tmp");
        File.WriteAllText(tmp, json);
        File.Move(tmp, Path, overwrite: true);
    }

    /// <summary>Rewrites the file in place, as an editor does.</summary>
    public void Write(string json) => File.WriteAllText(Path, json);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

/// <summary>The pricing services over a catalog file, a manual clock and a fake log.</summary>
internal sealed class PricingHarness : IDisposable
{
    private readonly ServiceProvider services;

    public PricingHarness(string catalogPath, DateTimeOffset now)
    {
        Clock = new ManualClock(now);
        services = new ServiceCollection()
            .AddFakeLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddPerfOtelPricing(catalogPath)
            .BuildServiceProvider();
        Cost = Collect<double>(CostSemanticConventions.Cost);
        Unpriced = Collect<long>(CostSemanticConventions.UnpricedTokens);

        // What the hosted service does at host start: load the catalog now, not at the first call.
        _ = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
    }

    public ManualClock Clock { get; }

    public MetricCollector<double> Cost { get; }

    public MetricCollector<long> Unpriced { get; }

    public LlmCostRecorder Recorder => services.GetRequiredService<LlmCostRecorder>();

    public PricingCatalogFile Catalog => services.GetRequiredService<PricingCatalogFile>();

    public FakeLogCollector Logs => services.GetFakeLogCollector();

    public IServiceProvider Services => services;

    public MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), AgentSemanticConventions.MeterName, instrument);

    public void Dispose()
    {
        Cost.Dispose();
        Unpriced.Dispose();
        services.Dispose();
    }
}

internal static class Catalogs
{
    /// <summary>A catalog with one model whose prices are exact in binary too, and a price change on 2025-07-01.</summary>
    public const string Simple = """
        {
          "schema_version": 1,
          "prices": [
            { "provider": "openai", "model": "gpt-4o", "effective_from": "2025-01-01", "input": 2.50, "cached_input": 1.25, "output": 10.00 },
            { "provider": "openai", "model": "gpt-4o", "effective_from": "2025-07-01", "input": 2.00, "cached_input": 1.00, "output": 8.00 },
            { "provider": "anthropic", "model": "claude-sonnet-4", "effective_from": "2025-01-01", "input": 3.00, "cached_input": 0.30, "output": 15.00 }
          ]
        }
        """;

    /// <summary>Path of the catalog shipped in the repository.</summary>
    public static string Shipped()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "pricing", "catalog.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("deploy/pricing/catalog.json not found above " + AppContext.BaseDirectory);
    }

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
