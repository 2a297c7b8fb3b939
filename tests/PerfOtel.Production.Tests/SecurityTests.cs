using System.Net;
using System.Text;
using PerfOtel.Production.Tests.Fixture;

namespace PerfOtel.Production.Tests;

/// <summary>The production profile is locked down: TLS everywhere, and nothing answers without credentials.</summary>
[Collection(SharedStack.Name)]
public sealed class SecurityTests(ProductionStack stack, ITestOutputHelper output)
{
    private IEnumerable<(string Name, string BaseUrl, string Path)> ProtectedEndpoints() =>
    [
        ("prometheus-a", stack.PrometheusUrl(0), "/api/v1/query?query=up"),
        ("prometheus-b", stack.PrometheusUrl(1), "/api/v1/query?query=up"),
        ("prometheus-a health", stack.PrometheusUrl(0), "/-/healthy"),
        ("alertmanager-1", stack.AlertmanagerUrl(0), "/api/v2/status"),
        ("alertmanager-2", stack.AlertmanagerUrl(1), "/api/v2/alerts"),
        ("alertmanager-3", stack.AlertmanagerUrl(2), "/api/v2/silences"),
        ("collector /metrics", stack.CollectorUrl, "/metrics"),
        ("victoriametrics", stack.VictoriaMetricsUrl, "/api/v1/query?query=up"),
    ];

    [Fact]
    public async Task Without_credentials_or_with_a_wrong_password_every_server_answers_401()
    {
        foreach (var (name, baseUrl, path) in ProtectedEndpoints())
        {
            using var anonymous = new SecureApi(baseUrl, stack.CaFile);
            Assert.True((await anonymous.SendAsync(HttpMethod.Get, path)).Status == HttpStatusCode.Unauthorized, $"{name} {path} without credentials");
            using var wrong = new SecureApi(baseUrl, stack.CaFile, "prometheus", "not-the-password");
            Assert.True((await wrong.SendAsync(HttpMethod.Get, path)).Status == HttpStatusCode.Unauthorized, $"{name} {path} with a wrong password");
            output.WriteLine($"{name} {path}: 401 without credentials and with a wrong password");
        }

        // Ingest: no key, and a scrape password instead of the key.
        using var collector = new SecureApi(stack.CollectorUrl, stack.CaFile);
        var batch = """{"events":[{"type":"run","agent":"intruder","outcome":"success","duration_seconds":1}]}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await collector.SendAsync(HttpMethod.Post, "/v1/events", new StringContent(batch, Encoding.UTF8, "application/json"))).Status);
        using var scrapeCredentials = new SecureApi(stack.CollectorUrl, stack.CaFile, "prometheus", stack.Password("prometheus"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await scrapeCredentials.SendAsync(HttpMethod.Post, "/v1/events", new StringContent(batch, Encoding.UTF8, "application/json"))).Status);

        // Plain HTTP is not served on the TLS ports.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in new[] { stack.PrometheusUrl(0), stack.AlertmanagerUrl(0), stack.VictoriaMetricsUrl, stack.CollectorUrl })
        {
            var http = url.Replace("https://", "http://", StringComparison.Ordinal);
            HttpStatusCode? status = null;
            try
            {
                using var r = await plain.GetAsync(http + "/metrics");
                status = r.StatusCode;
            }
            catch (HttpRequestException) { }

            Assert.True(status is null or HttpStatusCode.BadRequest, $"{http} answered {status} over plain HTTP");
        }

        // Orchestrator probes stay open, and say nothing secret.
        using var open = new SecureApi(stack.CollectorUrl, stack.CaFile);
        Assert.Equal(HttpStatusCode.OK, (await open.SendAsync(HttpMethod.Get, "/healthz")).Status);
    }

    [Fact]
    public async Task With_credentials_every_target_is_scraped_over_https_with_basic_auth()
    {
        foreach (var prom in stack.Prometheus)
        {
            var targets = (await prom.GetJsonAsync("/api/v1/targets?state=active")).GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToList();
            Assert.Equal(8, targets.Count);
            foreach (var t in targets)
            {
                var url = t.GetProperty("scrapeUrl").GetString()!;
                Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);
                Assert.True(t.GetProperty("health").GetString() == "up", $"{url}: {t.GetProperty("lastError").GetString()}");
            }

            // Alerts go to all three peers, over https.
            var ams = (await prom.GetJsonAsync("/api/v1/alertmanagers")).GetProperty("data").GetProperty("activeAlertmanagers").EnumerateArray()
                .Select(a => a.GetProperty("url").GetString()!).ToList();
            Assert.Equal(3, ams.Count);
            Assert.All(ams, u => Assert.StartsWith("https://", u, StringComparison.Ordinal));
            output.WriteLine($"{prom.BaseUrl}: {targets.Count} targets up over https; alertmanagers {string.Join(", ", ams)}");
        }

        var (status, body) = await stack.Collector.SendAsync(HttpMethod.Get, "/metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("target_info", body, StringComparison.Ordinal);
    }
}
