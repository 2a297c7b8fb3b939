using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Telemetry.Tests.Cost;

public sealed class PricingCatalogFileTests : IDisposable
{
    private static readonly DateTimeOffset March2025 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly TempCatalog file = new(Catalogs.Simple);

    private static decimal InputPrice(PricingHarness h) =>
        h.Catalog.Current.TryGetPrice("openai", "gpt-4o", March2025, out var p) ? p.InputUsdPerMillion : -1;

    [Fact]
    public async Task Catalog_replaced_on_disk_is_reloaded_without_restart()
    {
        using var h = new PricingHarness(file.Path, March2025);
        Assert.Equal(2.50m, InputPrice(h));

        file.Replace(Catalogs.Simple.Replace("\"input\": 2.50", "\"input\": 4.00", StringComparison.Ordinal));

        Assert.True(await Catalogs.EventuallyAsync(() => InputPrice(h) == 4.00m));
        h.Recorder.Record(new LlmCallRecord("openai", "gpt-4o", "chat", "planner", 1_000_000, 0, 1));
        Assert.Equal(4.0, Assert.Single(h.Cost.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task Catalog_edited_in_place_is_reloaded()
    {
        using var h = new PricingHarness(file.Path, March2025);

        file.Write(Catalogs.Simple.Replace("\"input\": 2.50", "\"input\": 5.00", StringComparison.Ordinal));

        Assert.True(await Catalogs.EventuallyAsync(() => InputPrice(h) == 5.00m));
    }

    [Fact]
    public async Task Bad_catalog_is_rejected_with_file_and_problem_and_the_last_good_stays()
    {
        using var h = new PricingHarness(file.Path, March2025);

        file.Replace(Catalogs.Simple.Replace("\"output\": 10.00", "\"output\": -10", StringComparison.Ordinal));

        var ok = await Catalogs.EventuallyAsync(() => h.Logs.GetSnapshot().Any(r => r.Level == LogLevel.Error));
        Assert.True(ok, string.Join("\n", h.Logs.GetSnapshot().Select(r => r.ToString())));
        var error = h.Logs.GetSnapshot().Single(r => r.Level == LogLevel.Error).Message;
        Assert.Contains(file.Path, error, StringComparison.Ordinal);
        Assert.Contains("prices[0].output: -10 is outside", error, StringComparison.Ordinal);
        Assert.Contains("stays in force", error, StringComparison.Ordinal);
        Assert.Equal(2.50m, InputPrice(h));

        // Fixed again: loads.
        file.Replace(Catalogs.Simple.Replace("\"input\": 2.50", "\"input\": 6.00", StringComparison.Ordinal));
        Assert.True(await Catalogs.EventuallyAsync(() => InputPrice(h) == 6.00m));
    }

    [Fact]
    public async Task Deleted_catalog_keeps_the_last_good_one()
    {
        using var h = new PricingHarness(file.Path, March2025);

        File.Delete(file.Path);

        Assert.True(await Catalogs.EventuallyAsync(() => h.Logs.GetSnapshot().Any(r => r.Level == LogLevel.Error && r.Message.Contains("file not found", StringComparison.Ordinal))));
        Assert.Equal(2.50m, InputPrice(h));
    }

    [Fact]
    public void Unchanged_content_is_not_reloaded()
    {
        using var h = new PricingHarness(file.Path, March2025);
        var before = h.Catalog.Current;

        Assert.False(h.Catalog.Reload());
        Assert.Same(before, h.Catalog.Current);
    }

    [Fact]
    public async Task Invalid_catalog_stops_the_host_start_with_its_problems()
    {
        file.Write("""{"schema_version": 1, "prices": []}""");
        await using var services = new ServiceCollection().AddFakeLogging().AddPerfOtelPricing(file.Path).BuildServiceProvider();

        var e = Assert.Throws<PricingCatalogException>(() => services.GetServices<IHostedService>().ToList());

        Assert.Equal($"Pricing catalog '{file.Path}' rejected: prices: at least one entry is required", e.Message);
    }

    public void Dispose() => file.Dispose();
}
