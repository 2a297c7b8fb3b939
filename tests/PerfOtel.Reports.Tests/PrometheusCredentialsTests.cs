using System.Collections.Concurrent;
using System.Net;
using System.Text;
using PerfOtel.Reports.Tests.Support;

namespace PerfOtel.Reports.Tests;

/// <summary>
/// --prometheus-username / --prometheus-password-file / --prometheus-ca-file (and their PERFOTEL_PROMETHEUS_*
/// variables): the production profile's Prometheus and VictoriaMetrics need TLS with a private CA and basic auth.
/// The whole path over TLS against a real VictoriaMetrics is tested in tests/PerfOtel.Production.Tests.
/// </summary>
public class PrometheusCredentialsTests
{
    [Fact]
    public async Task The_password_file_is_sent_as_basic_auth_and_never_printed()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "password");
        await File.WriteAllTextAsync(file, "s3cret-pass\n", TestContext.Current.CancellationToken);
        using var server = new EmptyPrometheus();

        var result = await Cli.RunAsync("status", "--prometheus-url", server.Url, "--prometheus-password-file", file);

        // No data in the empty server, but every query carried the credentials (default user: prometheus).
        Assert.Equal(ExitCodes.NoData, result.ExitCode);
        Assert.NotEmpty(server.Authorizations);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("prometheus:s3cret-pass"));
        Assert.All(server.Authorizations, a => Assert.Equal(expected, a));
        Assert.DoesNotContain("s3cret", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_names_user_and_password_file()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "password");
        await File.WriteAllTextAsync(file, "pw", TestContext.Current.CancellationToken);
        using var server = new EmptyPrometheus();

        var result = await Cli.RunAsync(
            new Dictionary<string, string>
            {
                ["PERFOTEL_PROMETHEUS_URL"] = server.Url,
                ["PERFOTEL_PROMETHEUS_USERNAME"] = "grafana",
                ["PERFOTEL_PROMETHEUS_PASSWORD_FILE"] = file,
            },
            "status");

        Assert.Equal(ExitCodes.NoData, result.ExitCode);
        Assert.All(server.Authorizations, a => Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("grafana:pw")), a));
    }

    [Fact]
    public async Task A_missing_password_file_is_a_usage_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "perfotel-no-such-password-" + Guid.NewGuid());

        var result = await Cli.RunAsync("status", "--prometheus-url", "http://127.0.0.1:1", "--prometheus-password-file", missing);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--prometheus-password-file: cannot read {missing}", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_a_password_file_is_a_usage_error()
    {
        var result = await Cli.RunAsync("status", "--prometheus-url", "http://127.0.0.1:1", "--prometheus-username", "admin");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--prometheus-username needs --prometheus-password-file", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_file_that_holds_no_certificate_is_a_usage_error()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "ca.crt");
        await File.WriteAllTextAsync(file, "not a certificate", TestContext.Current.CancellationToken);

        var result = await Cli.RunAsync("status", "--prometheus-url", "https://127.0.0.1:1", "--prometheus-ca-file", file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--prometheus-ca-file: cannot read a certificate from {file}", result.ErrorLine, StringComparison.Ordinal);
    }

    /// <summary>A Prometheus API on 127.0.0.1 with no data at all; it records each request's Authorization header.</summary>
    private sealed class EmptyPrometheus : IDisposable
    {
        private readonly LoopbackHttpServer server;

        public EmptyPrometheus() => server = new LoopbackHttpServer(async context =>
        {
            Authorizations.Enqueue(context.Request.Headers["Authorization"] ?? "");
            var body = Encoding.UTF8.GetBytes("""{"status":"success","data":{"resultType":"vector","result":[]}}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
        });

        public string Url => server.BaseUrl;

        public ConcurrentQueue<string> Authorizations { get; } = new();

        public void Dispose() => server.Dispose();
    }
}
