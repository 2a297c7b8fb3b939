using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Probes;
using static PerfOtel.Collector.Tests.Probes.ProbeHost;

namespace PerfOtel.Collector.Tests.Probes;

public sealed class ProbeOptionsTests
{
    private static ComponentProbeOptions TcpComponent(string name = "db") => new() { Name = name, Kind = "tcp", Host = "127.0.0.1", Port = 5432 };

    private static ValidateOptionsResult Validate(ProbeOptions o) => new ProbeOptionsValidator().Validate(null, o);

    private static void AssertFails(ProbeOptions o, string expected)
    {
        var r = Validate(o);
        Assert.True(r.Failed, "expected a validation failure");
        Assert.Contains(r.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_options_pass()
    {
        var o = new ProbeOptions
        {
            Components =
            [
                TcpComponent(),
                new() { Name = "web", Kind = "HTTP", Url = "https://example.test/healthz", ExpectedStatus = 204, Weight = 0 },
            ],
        };
        Assert.True(Validate(o).Succeeded);
    }

    [Fact]
    public void Unknown_kind_is_named_with_the_accepted_ones() =>
        AssertFails(new() { Components = [new() { Name = "q", Kind = "udp", Host = "h", Port = 1 }] }, "unknown Kind 'udp'; expected 'http' or 'tcp'");

    [Fact]
    public void Http_without_url_fails() =>
        AssertFails(new() { Components = [new() { Name = "web", Kind = "http" }] }, "Components:0 ('web'): Kind 'http' needs Url.");

    [Theory]
    [InlineData("/healthz")]
    [InlineData("ftp://example.test/x")]
    [InlineData("not a url")]
    public void Http_with_a_non_http_url_fails(string url) =>
        AssertFails(new() { Components = [new() { Name = "web", Kind = "http", Url = url }] }, $"Url '{url}' is not an absolute http(s) URL.");

    [Fact]
    public void Tcp_without_host_or_port_fails_naming_both()
    {
        var o = new ProbeOptions { Components = [new() { Name = "db", Kind = "tcp" }] };
        AssertFails(o, "Kind 'tcp' needs Host.");
        AssertFails(o, "Kind 'tcp' needs Port.");
    }

    [Fact]
    public void Port_out_of_range_fails() =>
        AssertFails(new() { Components = [new() { Name = "db", Kind = "tcp", Host = "h", Port = 70000 }] }, "Port must be 1-65535");

    [Fact]
    public void Duplicate_names_fail_ignoring_case() =>
        AssertFails(new() { Components = [TcpComponent("db"), TcpComponent("DB")] }, "Components:1 ('DB'): duplicate component name 'DB'");

    [Fact]
    public void Missing_name_fails() =>
        AssertFails(new() { Components = [TcpComponent(" ")] }, "Components:0: Name is required.");

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Negative_or_non_finite_weight_fails(double weight)
    {
        var c = TcpComponent();
        c.Weight = weight;
        AssertFails(new() { Components = [c] }, "Weight must be a finite number >= 0");
    }

    [Theory]
    [InlineData(15, 15)]
    [InlineData(10, 20)]
    public void Timeout_not_below_interval_fails(double interval, double timeout) =>
        AssertFails(new() { IntervalSeconds = interval, TimeoutSeconds = timeout, Components = [TcpComponent()] }, "must be less than IntervalSeconds");

    [Fact]
    public void Non_positive_timeout_fails() =>
        AssertFails(new() { TimeoutSeconds = 0, Components = [TcpComponent()] }, "TimeoutSeconds must be > 0");

    [Theory]
    [InlineData(0)]
    [InlineData(0.01)]
    [InlineData(1e9)]
    [InlineData(double.NaN)]
    public void Interval_out_of_range_fails(double interval) =>
        AssertFails(new() { IntervalSeconds = interval, TimeoutSeconds = 0.005, Components = [TcpComponent()] }, "IntervalSeconds must be between 0.1 and 86400");

    [Fact]
    public void Every_mistake_is_reported_at_once()
    {
        var r = Validate(new() { Components = [new() { Name = "a", Kind = "x" }, new() { Name = "a", Kind = "tcp", Weight = -1 }] });
        // Unknown kind (a); duplicate name, negative weight, no host, no port (second a).
        Assert.Equal(5, r.Failures!.Count());
    }

    [Fact]
    public async Task Invalid_configuration_fails_the_start_with_the_messages()
    {
        await using var h = Create(Settings(5, 5, Tcp("db", 5432), new() { ["Name"] = "web", ["Kind"] = "http" }));
        var e = await Assert.ThrowsAsync<OptionsValidationException>(h.StartHostAsync);
        Assert.Contains("TimeoutSeconds (5) must be less than IntervalSeconds (5)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Components:1 ('web'): Kind 'http' needs Url.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_values_take_the_defaults()
    {
        var settings = new Dictionary<string, string?>
        {
            ["PerfOtel:Probes:Components:0:Name"] = "web",
            ["PerfOtel:Probes:Components:0:Kind"] = "http",
            ["PerfOtel:Probes:Components:0:Url"] = "http://127.0.0.1:1/",
        };
        using var host = Create(settings).Host;
        var o = host.Services.GetRequiredService<IOptions<ProbeOptions>>().Value;
        Assert.Equal(15, o.IntervalSeconds);
        Assert.Equal(5, o.TimeoutSeconds);
        Assert.Equal(200, o.Components[0].ExpectedStatus);
        Assert.Equal(1.0, o.Components[0].Weight);
    }

    [Fact]
    public void Without_components_nothing_is_registered()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PerfOtel:Probes:IntervalSeconds"] = "-1" })
            .Build();
        var services = new ServiceCollection();
        services.AddComponentProbes(config);
        Assert.Empty(services);
    }

    [Fact]
    public void With_components_the_worker_metrics_and_client_are_registered()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings(15, 5, Tcp("db", 5432)))
            .Build();
        var services = new ServiceCollection();
        services.AddComponentProbes(config);
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ProbeWorker));
        Assert.Contains(services, d => d.ServiceType == typeof(ProbeMetrics));
        Assert.Contains(services, d => d.ServiceType == typeof(IHttpClientFactory));
    }
}
