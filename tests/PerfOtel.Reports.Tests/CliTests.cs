using PerfOtel.Reports.Tests.Support;

namespace PerfOtel.Reports.Tests;

/// <summary>The command line without a Prometheus: help, usage errors, ranges, an unreachable server.</summary>
public class CliTests
{
    [Fact]
    public async Task Help_lists_the_range_command_and_the_exit_codes()
    {
        var result = await Cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("range", result.Out, StringComparison.Ordinal);
        Assert.Contains("--prometheus-url", result.Out, StringComparison.Ordinal);
        Assert.Contains("3 invalid range", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Theory]
    [InlineData("daily", "--at")]
    [InlineData("weekly", "--at")]
    [InlineData("cost", "--days")]
    [InlineData("status", "--window")]
    [InlineData("export", "--match")]
    [InlineData("schedule", "--heartbeat-file")]
    public async Task Every_command_has_help(string command, string option)
    {
        var result = await Cli.RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains(option, result.Out, StringComparison.Ordinal);
        Assert.Contains("--prometheus-url", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await Cli.RunAsync("--help");

        foreach (var command in new[] { "daily", "weekly", "range", "cost", "status", "export", "schedule" })
        {
            Assert.Matches($"\\n  {command} ", result.Out);
        }
    }

    [Fact]
    public async Task A_post_to_file_that_does_not_hold_a_url_is_named_but_not_shown()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "hook");
        await File.WriteAllTextAsync(file, "xoxb-secret-not-a-url", TestContext.Current.CancellationToken);

        var result = await Cli.RunAsync("daily", "--post-to", "@" + file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--post-to: the content of '{file}' is not an http(s) URL", result.ErrorLine, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_refuses_more_points_than_prometheus_returns_and_names_the_smallest_step()
    {
        var result = await Cli.RunAsync(
            "export", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-31T00:00:00Z", "--metric", "up", "--step", "1m",
            "--prometheus-url", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("perfotel-reports: error: --step 1m gives more than 11000 points per series over 30d; use --step 3m 56s or more", result.ErrorLine);
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("weekly")]
    [InlineData("cost")]
    [InlineData("status")]
    public async Task Every_command_exits_4_when_prometheus_is_unreachable(string command)
    {
        using var temp = new TempFolder();
        var port = FreePort.Next();

        var result = await Cli.RunAsync(command, "--prometheus-url", $"http://127.0.0.1:{port}", command == "status" ? "--window" : "--output", command == "status" ? "1h" : temp.Path);

        Assert.Equal(ExitCodes.PrometheusUnreachable, result.ExitCode);
        Assert.StartsWith($"perfotel-reports: error: cannot reach Prometheus at http://127.0.0.1:{port}: ", result.ErrorLine, StringComparison.Ordinal);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task Range_help_lists_its_options()
    {
        var result = await Cli.RunAsync("range", "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var option in new[] { "--from", "--to", "--output", "--format", "--post-to", "--prometheus-url", "PERFOTEL_PROMETHEUS_URL", "markdown", "html", "json", "csv" })
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("range", "--from", "yesterday", "--to", "2026-01-31T13:00:00Z")]
    [InlineData("range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-13-01")]
    [InlineData("range", "--from", "2026-01-31T12:00:00Z")]
    [InlineData("range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--format", "pdf")]
    [InlineData("range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--prometheus-url", "not a url")]
    [InlineData("range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--bogus")]
    [InlineData("weekly", "--at", "soon")]
    [InlineData("daily", "--format", "pdf")]
    [InlineData("cost", "--from", "2026-01-31T12:00:00Z")]
    [InlineData("cost", "--days", "0")]
    [InlineData("status", "--window", "0m")]
    [InlineData("status", "--window", "1w")]
    [InlineData("export", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z")]
    [InlineData("export", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--metric", "up{job=\"x\"}")]
    [InlineData("export", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--metric", "up", "--match", "job")]
    [InlineData("export", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--metric", "up", "--format", "xlsx")]
    [InlineData("schedule")]
    [InlineData("schedule", "--daily", "61 * * * *")]
    [InlineData("range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--post-to", "ftp://example.com/hook")]
    [InlineData]
    public async Task Usage_errors_exit_2_with_one_line_and_write_nothing(params string[] args)
    {
        using var temp = new TempFolder();

        var result = await Cli.RunAsync([.. args, "--output", temp.Path]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.EndsWith("(see perfotel-reports --help)", result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task An_unparsable_date_names_the_option_and_the_accepted_forms()
    {
        var result = await Cli.RunAsync("range", "--from", "yesterday", "--to", "1769864400");

        Assert.Equal(
            "perfotel-reports: error: --from: 'yesterday' is not a time; use ISO-8601 (2026-01-31T13:00:00Z) or unix seconds (see perfotel-reports --help)",
            result.ErrorLine);
    }

    [Theory]
    [InlineData("2026-01-31T13:00:00Z", "2026-01-31T12:00:00Z", "perfotel-reports: error: --from 2026-01-31T13:00:00Z is after --to 2026-01-31T12:00:00Z")]
    [InlineData("1769864400", "2026-01-31T13:00:00Z", "perfotel-reports: error: empty range: --from and --to are both 2026-01-31T13:00:00Z")]
    public async Task A_from_not_before_to_exits_3_before_asking_prometheus(string from, string to, string expected)
    {
        using var temp = new TempFolder();
        var closed = $"http://127.0.0.1:{FreePort.Next()}";

        var result = await Cli.RunAsync("range", "--from", from, "--to", to, "--prometheus-url", closed, "--output", temp.Path);

        Assert.Equal(ExitCodes.InvalidRange, result.ExitCode);
        Assert.Equal(expected, result.ErrorLine);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task An_unreachable_prometheus_exits_4_with_one_line_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var port = FreePort.Next();

        var result = await Cli.RunAsync(
            "range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--prometheus-url", $"http://127.0.0.1:{port}", "--output", temp.Sub("out"));

        Assert.Equal(ExitCodes.PrometheusUnreachable, result.ExitCode);
        Assert.StartsWith($"perfotel-reports: error: cannot reach Prometheus at http://127.0.0.1:{port}: ", result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task The_environment_variable_is_the_default_url_and_the_option_overrides_it()
    {
        var fromEnvironment = FreePort.Next();
        var fromOption = FreePort.Next();
        var environment = new Dictionary<string, string> { ["PERFOTEL_PROMETHEUS_URL"] = $"http://127.0.0.1:{fromEnvironment}" };
        string[] range = ["range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z", "--output", Path.GetTempPath()];

        var byEnvironment = await Cli.RunAsync(environment, range);
        var byOption = await Cli.RunAsync(environment, [.. range, "--prometheus-url", $"http://127.0.0.1:{fromOption}"]);
        var byGlobalOption = await Cli.RunAsync(environment, ["--prometheus-url", $"http://127.0.0.1:{fromOption}", .. range]);

        Assert.Contains($":{fromEnvironment}:", byEnvironment.ErrorLine, StringComparison.Ordinal);
        Assert.Contains($":{fromOption}:", byOption.ErrorLine, StringComparison.Ordinal);
        Assert.Contains($":{fromOption}:", byGlobalOption.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_environment_url_is_a_usage_error_naming_the_variable()
    {
        var result = await Cli.RunAsync(
            new Dictionary<string, string> { ["PERFOTEL_PROMETHEUS_URL"] = "prometheus:9090" },
            "range", "--from", "2026-01-31T12:00:00Z", "--to", "2026-01-31T13:00:00Z");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("PERFOTEL_PROMETHEUS_URL: 'prometheus:9090' is not an http(s) URL", result.ErrorLine, StringComparison.Ordinal);
    }
}
