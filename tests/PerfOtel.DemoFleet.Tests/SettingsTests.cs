using System.Collections;
using System.Net;
using PerfOtel.DemoFleet;
using PerfOtel.DemoFleet.Incidents;

namespace PerfOtel.DemoFleet.Tests;

public sealed class SettingsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 30, 0, TimeSpan.Zero);

    private static DemoSettings? Parse(Dictionary<string, string?> cli, Hashtable? env, out List<string> errors) =>
        DemoSettingsParser.Parse(cli, env ?? [], Noon, out errors);

    [Fact]
    public void Defaults_send_to_the_local_collector_and_listen_on_loopback()
    {
        var s = Parse(new() { ["--key"] = "k" }, null, out var errors);
        Assert.Empty(errors);
        Assert.NotNull(s);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), s.CollectorUrl);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:8099"), s.Listen);
        Assert.Equal(TimeSpan.FromSeconds(5), s.Tick);
        Assert.Equal(TimeSpan.FromDays(1), s.DayLength);
        Assert.Equal(12.5, s.StartHour, 3);
        Assert.Null(s.Duration);
        Assert.Equal("every 20m for 5m: error-spike, slow-phase, cost-spike, component-down, queue-starvation in turn", s.Incidents.ToString());
    }

    [Fact]
    public void Environment_variables_configure_and_the_command_line_wins()
    {
        var env = new Hashtable
        {
            ["PERFOTEL_API_KEY_FILE"] = "/run/perfotel/api-key",
            ["PERFOTEL_DEMO_RUNS_PER_MINUTE"] = "120",
            ["PERFOTEL_DEMO_DAY_LENGTH"] = "1h",
            ["PERFOTEL_DEMO_TICK"] = "2s",
            ["PERFOTEL_DEMO_INCIDENTS"] = "error-spike@10m+5m, component-down@30m+3m",
        };
        var s = Parse(new() { ["--tick"] = "500ms" }, env, out var errors);
        Assert.Empty(errors);
        Assert.NotNull(s);
        Assert.Equal("/run/perfotel/api-key", s.ApiKeyFile);
        Assert.Equal(120, s.RunsPerMinute);
        Assert.Equal(TimeSpan.FromHours(1), s.DayLength);
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Tick);
        Assert.Equal(IncidentKind.ComponentDown, s.Incidents.ActiveAt(TimeSpan.FromMinutes(31))?.Kind);
    }

    [Fact]
    public void Traffic_and_listening_stay_on_this_machine_unless_allowed()
    {
        Parse(new() { ["--key"] = "k", ["--url"] = "http://collector:8080", ["--listen"] = "0.0.0.0:8099" }, null, out var errors);
        Assert.Contains(errors, e => e.Contains("--url", StringComparison.Ordinal) && e.Contains("--allow-non-loopback", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--listen", StringComparison.Ordinal) && e.Contains("--allow-non-loopback", StringComparison.Ordinal));

        var s = Parse(new() { ["--key"] = "k", ["--url"] = "http://collector:8080" }, new Hashtable { ["PERFOTEL_DEMO_ALLOW_NON_LOOPBACK"] = "true", ["PERFOTEL_DEMO_LISTEN"] = "0.0.0.0:8099" }, out errors);
        Assert.Empty(errors);
        Assert.Equal("collector", s!.CollectorUrl.Host);
        Assert.Equal(IPAddress.Any, s.Listen!.Address);

        s = Parse(new() { ["--key"] = "k", ["--url"] = "http://localhost:9", ["--listen"] = "off" }, null, out errors);
        Assert.Empty(errors);
        Assert.Null(s!.Listen);
    }

    [Fact]
    public void Every_invalid_setting_is_named()
    {
        var s = Parse(new()
        {
            ["--url"] = "ftp://x",
            ["--runs-per-minute"] = "-1",
            ["--tick"] = "0",
            ["--day-length"] = "fast",
            ["--incident-kinds"] = "error-spike,meteor-strike",
            ["--duration"] = "0s",
            ["--seed"] = "x",
        }, null, out var errors);
        Assert.Null(s);
        foreach (var name in new[] { "--url", "--runs-per-minute", "--tick", "--day-length", "meteor-strike", "--duration", "--seed", "API key" })
        {
            Assert.Contains(errors, e => e.Contains(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void An_explicit_schedule_must_parse_and_not_overlap()
    {
        Parse(new() { ["--key"] = "k", ["--incidents"] = "error-spike@10m" }, null, out var errors);
        Assert.Contains(errors, e => e.Contains("KIND@START+LENGTH", StringComparison.Ordinal));
        Parse(new() { ["--key"] = "k", ["--incidents"] = "error-spike@10m+5m,slow-phase@12m+5m" }, null, out errors);
        Assert.Contains(errors, e => e.Contains("overlap", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("250ms", 0.25)]
    public void Durations_read_as_operators_write_them(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds, 6);
        Assert.True(DurationText.TryParse(DurationText.Format(d), out var again));
        Assert.Equal(d, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("-5s")]
    public void Nonsense_is_not_a_duration(string text) => Assert.False(DurationText.TryParse(text, out _));
}
