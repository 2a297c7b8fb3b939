using Microsoft.Extensions.DependencyInjection;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Telemetry.Tests.Cost;

public sealed class CostAllocationTests
{
    [Fact]
    public void Pricing_a_call_allocates_nothing()
    {
        using var file = new TempCatalog(Catalogs.Simple);
        using var services = new ServiceCollection()
            .AddFakeLogging()
            .AddSingleton<TimeProvider>(new ManualClock(new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.Zero)))
            .AddPerfOtelPricing(file.Path)
            .BuildServiceProvider();
        var recorder = services.GetRequiredService<LlmCostRecorder>();
        var call = new LlmCallRecord("openai", "gpt-4o", "chat", "planner", 1_200, 300, 1.8) with { Team = "search", CachedInputTokens = 800 };
        recorder.Record(call);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            recorder.Record(call);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
