using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using PerfOtel.Collector.Thresholds;

namespace PerfOtel.Collector.Tests.Thresholds;

public sealed class ThresholdSourceTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("perfotel-thresholds-").FullName;
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private ThresholdSource Source(string? file) => new(
        new ConfigurationBuilder().AddInMemoryCollection(file is null ? [] : [new("PerfOtel:Thresholds:File", file)]).Build(),
        services.GetRequiredService<IMeterFactory>(),
        NullLogger<ThresholdSource>.Instance);

    private Dictionary<(string, string?), double> Exposed()
    {
        using var gauge = new MetricCollector<double>(services.GetRequiredService<IMeterFactory>(), ThresholdSource.MeterName, "perfotel.alert.threshold");
        gauge.RecordObservableInstruments();
        return gauge.GetMeasurementSnapshot().ToDictionary(
            m => ((string)m.Tags["threshold"]!, m.Tags.TryGetValue("gen_ai.agent.name", out var a) ? (string?)a : null),
            m => m.Value);
    }

    [Fact]
    public void Without_a_file_the_built_in_defaults_are_exposed()
    {
        using var source = Source(null);
        var t = Exposed();
        Assert.Equal(ThresholdCatalog.Defaults.Count, t.Count);
        Assert.Equal(0.05, t[("llm_error_ratio", null)]);
    }

    [Fact]
    public void Shipped_file_parses_and_sets_a_per_agent_override()
    {
        using var source = Source(Path.Combine(FindRepo(), "deploy", "thresholds", "thresholds.json"));
        var t = Exposed();
        Assert.Equal(0.05, t[("llm_error_ratio", null)]);
        Assert.Equal(0.2, t[("llm_error_ratio", "example-experimental-agent")]);
    }

    [Fact]
    public async Task A_changed_file_is_reloaded_and_a_bad_one_keeps_the_last_good()
    {
        var file = Path.Combine(dir, "thresholds.json");
        File.WriteAllText(file, """{"defaults":{"llm_error_ratio":0.1}}""");
        using var source = Source(file);
        Assert.Equal(0.1, Exposed()[("llm_error_ratio", null)]);

        File.WriteAllText(file, """{"defaults":{"llm_error_ratio":0.25},"agents":{"planner":{"anomaly_zscore":4}}}""");
        await WaitFor(() => Exposed().GetValueOrDefault(("llm_error_ratio", null)) == 0.25);
        Assert.Equal(4, Exposed()[("anomaly_zscore", "planner")]);

        File.WriteAllText(file, """{"defaults":{"llm_eror_ratio":0.9}}""");
        Assert.False(source.Reload());
        File.WriteAllText(file, "{ not json");
        Assert.False(source.Reload());
        Assert.Equal(0.25, Exposed()[("llm_error_ratio", null)]);
    }

    [Theory]
    [InlineData("""{"defaults":{"unknown_threshold":1}}""", "unknown threshold")]
    [InlineData("""{"defaults":{"llm_error_ratio":-1}}""", ">= 0")]
    [InlineData("""{"agents":{"a":{"host_cpu_utilisation_max":0.5}}}""", "fleet-wide")]
    [InlineData("""{"agents":{"bad\nname":{"llm_error_ratio":0.5}}}""", "not a valid agent name")]
    [InlineData("""{"default":{}}""", "not valid thresholds JSON")]
    public void Bad_files_are_refused_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => ThresholdsParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), "t.json"));
        Assert.Contains(reason, e.Message);
        Assert.StartsWith("t.json", e.Message);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "condition not met within 10 s");
    }

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "PerfOtel.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repo not found");
    }

    public void Dispose()
    {
        services.Dispose();
        Directory.Delete(dir, recursive: true);
    }
}
