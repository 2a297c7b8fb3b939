using System.Diagnostics.Metrics;
using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace PerfOtel.Telemetry.Tests;

public sealed class RunScopeTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddPerfOtelTelemetry().BuildServiceProvider();

    private AgentMetrics Metrics => services.GetRequiredService<AgentMetrics>();

    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), AgentSemanticConventions.MeterName, instrument);

    [Fact]
    public void Run_scope_records_outcome_phases_and_counts_once_on_dispose()
    {
        using var runs = Collect<double>(AgentSemanticConventions.RunDuration);
        using var phases = Collect<double>(AgentSemanticConventions.RunPhaseDuration);
        using var lines = Collect<long>(AgentSemanticConventions.RunLinesDelivered);
        var run = Metrics.StartRun("scoped", team: "payments", environment: "dev");
        run.EstimatedDurationSeconds = 60;
        run.BeginPhase("plan");
        run.BeginPhase("execute");
        run.AddLinesDelivered(120);
        run.Succeed();
        run.Dispose();
        run.Dispose();

        var m = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal("success", m.Tags["agent.run.outcome"]);
        Assert.Equal("payments", m.Tags["agent.team"]);
        Assert.True(m.Value >= 0);
        Assert.Equal(["plan", "execute"], phases.GetMeasurementSnapshot().Select(p => (string)p.Tags["agent.run.phase"]!));
        Assert.Equal(120, Assert.Single(lines.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void Run_scope_left_by_an_exception_counts_as_unfinished_failure()
    {
        using var runs = Collect<double>(AgentSemanticConventions.RunDuration);
        try
        {
            using var run = Metrics.StartRun("throws");
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException)
        {
        }

        var m = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal("failure", m.Tags["agent.run.outcome"]);
        Assert.Equal("unfinished", m.Tags["error.type"]);
    }

    [Fact]
    public void Blocked_run_carries_its_reason()
    {
        using var runs = Collect<double>(AgentSemanticConventions.RunDuration);
        using (var run = Metrics.StartRun("blocked-agent"))
        {
            run.AddBlocker();
            run.Block("waiting_on_review");
        }

        var m = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal("blocked", m.Tags["agent.run.outcome"]);
        Assert.Equal("waiting_on_review", m.Tags["error.type"]);
    }

    [Fact]
    public void Timer_measures_elapsed_time_monotonically()
    {
        var t = AgentTimer.Start();
        var a = t.ElapsedSeconds;
        Thread.Sleep(5);
        Assert.True(t.ElapsedSeconds > a);
    }

    [Fact]
    public async Task Dotnet_pack_produces_a_package_with_its_readme()
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var output = Directory.CreateTempSubdirectory("perfotel-pack-").FullName;
        try
        {
            var r = await ToolRun.RunAsync("dotnet", ["pack", RepoPaths.Of("src", "PerfOtel.Telemetry"), "--no-build", "-c", config, "-o", output], timeout: TimeSpan.FromMinutes(3));
            Assert.True(r.ExitCode == 0, r.Output);
            var nupkg = Assert.Single(Directory.GetFiles(output, "PerfOtel.Telemetry.*.nupkg"));
            using var zip = ZipFile.OpenRead(nupkg);
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/PerfOtel.Telemetry.dll");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    public void Dispose() => services.Dispose();
}
