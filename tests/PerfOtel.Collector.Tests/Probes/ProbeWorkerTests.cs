using Microsoft.Extensions.Logging;
using PerfOtel.Collector.Probes;
using static PerfOtel.Collector.Tests.Probes.ProbeHost;

namespace PerfOtel.Collector.Tests.Probes;

/// <summary>The probes against real loopback servers, through the hosted service and the instruments.</summary>
public sealed class ProbeWorkerTests(StatusServer server) : IClassFixture<StatusServer>
{
    [Theory]
    [InlineData("/status/200", null, 1)]
    [InlineData("/status/204", 204, 1)]
    [InlineData("/status/503", 503, 1)]
    [InlineData("/status/503", null, 0)]
    [InlineData("/status/500", 200, 0)]
    [InlineData("/redirect", null, 0)]
    [InlineData("/redirect", 302, 1)]
    public async Task Http_component_is_up_exactly_when_it_answers_the_expected_status(string path, int? expectedStatus, int up)
    {
        await using var h = await StartAsync(Settings(0.2, 0.15, Http("web", server.Url(path), expectedStatus)));

        // Down must be down by status: a cold first probe that times out under load is down for another reason.
        await Eventually(() => h.State("web") is { } st && (up == 1 ? st.Up : st.Failure?.StartsWith("HTTP ", StringComparison.Ordinal) == true), $"web up={up}");
        Assert.Equal(up, Gauge(h.Up, "web"));
        Assert.Contains(h.Durations.GetMeasurementSnapshot(), m =>
            (string?)m.Tags[ProbeMetrics.AttrComponent] == "web" && (string?)m.Tags[ProbeMetrics.AttrProbeKind] == "http" && m.Value >= 0);
    }

    [Fact]
    public async Task Http_component_down_by_status_says_which_status()
    {
        await using var h = await StartAsync(Settings(0.2, 0.15, Http("api", server.Url("/status/503"))));

        await Eventually(() => h.State("api")?.Failure == "HTTP 503, expected 200", "api down by status 503");
        Assert.Equal(0, Gauge(h.Up, "api"));
        Assert.True(Gauge(h.Failures, "api") >= 1);
    }

    [Fact]
    public async Task Tcp_component_is_up_when_listening_and_down_when_refused()
    {
        using var open = new TcpServer();
        await using var h = await StartAsync(Settings(0.2, 0.15, Tcp("db", open.Port), Tcp("cache", TcpServer.ClosedPort())));

        await Eventually(() => Gauge(h.Up, "db") == 1, "db up");
        await Eventually(() => h.State("cache")?.Failure?.Contains("ConnectionRefused", StringComparison.Ordinal) == true, "cache refused");
        Assert.Equal(0, Gauge(h.Up, "cache"));
        Assert.Contains(h.Durations.GetMeasurementSnapshot(), m => (string?)m.Tags[ProbeMetrics.AttrProbeKind] == "tcp");
    }

    [Fact]
    public async Task Hanging_component_is_down_after_the_timeout_and_delays_no_other_component()
    {
        using var hanging = new TcpServer(hang: true);
        using var open = new TcpServer();
        // A timeout wide enough that the other (cold, possibly loaded) probes surely end within it.
        await using var h = await StartAsync(Settings(2.5, 2,
            Http("stuck", $"http://127.0.0.1:{hanging.Port}/health"),
            Http("web", server.Url("/status/200")),
            Tcp("db", open.Port)));

        await Eventually(() => h.State("stuck") is not null, "the hanging component's first probe ended");

        Assert.Equal(0, Gauge(h.Up, "stuck"));
        Assert.Equal("no answer within 2 s", h.State("stuck")!.Failure);
        // The server never answers: the timeout ended the probe, so it took (at least about) the timeout.
        Assert.True(h.Durations.GetMeasurementSnapshot().Single(m => (string?)m.Tags[ProbeMetrics.AttrComponent] == "stuck").Value >= 1.9);

        // The others were probed while the hanging probe was pending: their results came before its first one.
        var order = h.Durations.GetMeasurementSnapshot().Select(m => (string?)m.Tags[ProbeMetrics.AttrComponent]).ToList();
        Assert.InRange(order.IndexOf("web"), 0, order.IndexOf("stuck") - 1);
        Assert.InRange(order.IndexOf("db"), 0, order.IndexOf("stuck") - 1);
        Assert.Equal(1, Gauge(h.Up, "web"));
        Assert.Equal(1, Gauge(h.Up, "db"));
    }

    [Fact]
    public async Task Consecutive_failures_count_up_and_reset_on_success()
    {
        server.Set("flaky", 503);
        await using var h = await StartAsync(Settings(0.2, 0.15, Http("flaky", server.Url("/switch/flaky"))));

        await Eventually(() => Gauge(h.Failures, "flaky") >= 3, "three failures in a row");
        var seen = Gauge(h.Failures, "flaky")!.Value;
        await Eventually(() => Gauge(h.Failures, "flaky") > seen, "failures keep counting");
        Assert.Equal(0, Gauge(h.Up, "flaky"));

        server.Set("flaky", 200);
        await Eventually(() => Gauge(h.Up, "flaky") == 1, "flaky up again");
        Assert.Equal(0, Gauge(h.Failures, "flaky"));
    }

    [Fact]
    public async Task Weight_is_exposed_per_component_default_one()
    {
        using var open = new TcpServer();
        await using var h = await StartAsync(Settings(0.2, 0.15,
            Tcp("db", open.Port, weight: 2.5),
            Tcp("cache", TcpServer.ClosedPort(), weight: 0),
            Http("web", server.Url("/status/200"))));

        await Eventually(() => Gauge(h.Weight, "db") is not null && Gauge(h.Weight, "cache") is not null && Gauge(h.Weight, "web") is not null, "weights exposed");
        Assert.Equal(2.5, Gauge(h.Weight, "db"));
        Assert.Equal(0, Gauge(h.Weight, "cache"));
        Assert.Equal(1.0, Gauge(h.Weight, "web"));
    }

    [Fact]
    public async Task State_changes_are_logged_once_each_not_every_probe()
    {
        server.Set("toggle", 200);
        // A wide timeout: a loopback answer late under load must not add a state change of its own.
        await using var h = await StartAsync(Settings(0.5, 0.4, Http("toggle", server.Url("/switch/toggle"))));
        var mine = () => h.Logs.GetSnapshot().Where(r => r.Message.Contains("toggle", StringComparison.Ordinal)).ToList();

        // Warm up (a cold first probe may be slow); a healthy start itself logs nothing (see ProbeMetricsTests).
        await Eventually(() => h.ProbeCount("toggle") >= 2 && h.State("toggle")!.Up, "healthy probes");

        server.Set("toggle", 503);
        await Eventually(() => Gauge(h.Failures, "toggle") >= 3, "three failed probes");
        // Three failed probes, one line.
        var down = Assert.Single(mine(), r => r.Message.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, down.Level);
        Assert.Contains("toggle (http) is down: HTTP 503, expected 200", down.Message, StringComparison.Ordinal);

        server.Set("toggle", 200);
        await Eventually(() => Gauge(h.Up, "toggle") == 1, "toggle up again");
        var upAt = h.ProbeCount("toggle");
        await Eventually(() => h.ProbeCount("toggle") >= upAt + 2, "more healthy probes");
        var logs = mine();
        var fromDown = logs.SkipWhile(r => !ReferenceEquals(r, down)).ToList();
        Assert.True(fromDown.Count >= 2, string.Join(" | ", logs.Select(r => r.Message)));
        Assert.Equal(LogLevel.Information, fromDown[1].Level);
        Assert.Contains("toggle (http) is up again after", fromDown[1].Message, StringComparison.Ordinal);
        // Once per change, never per probe: down and up lines alternate. (On a loaded machine a late loopback answer
        // may time out a probe: a real change, logged as one more down/up pair.)
        for (var i = 1; i < logs.Count; i++)
        {
            Assert.True(logs[i].Level != logs[i - 1].Level, "two lines in a row for one state: " + string.Join(" | ", logs.Select(r => r.Message)));
        }
    }

    [Fact]
    public async Task Component_down_from_the_start_is_logged_once()
    {
        await using var h = await StartAsync(Settings(0.2, 0.15, Tcp("gone", TcpServer.ClosedPort())));

        await Eventually(() => h.ProbeCount("gone") >= 4, "four failed probes");
        var r = Assert.Single(h.Logs.GetSnapshot(), r => r.Message.Contains("gone", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, r.Level);
        Assert.True(Gauge(h.Failures, "gone") >= 4);
    }
}
