using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PerfOtel.Collector.Tests;

public sealed class MetricsAuthTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("perfotel-metrics-auth-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private WebApplicationFactory<Program> App(string? passwordFile) => new CollectorApp().WithWebHostBuilder(b =>
    {
        if (passwordFile is not null)
        {
            b.UseSetting("PerfOtel:Metrics:Username", "scraper");
            b.UseSetting("PerfOtel:Metrics:PasswordFile", passwordFile);
        }
    });

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task Metrics_require_the_configured_credentials_when_a_password_file_is_set()
    {
        var file = Path.Combine(dir, "scrape-password");
        await File.WriteAllTextAsync(file, "s3cret-Scrape-pw\n", TestContext.Current.CancellationToken);
        await using var app = App(file);
        var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var anonymous = await client.GetAsync("/metrics", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        foreach (var (user, password) in new[] { ("scraper", "wrong"), ("other", "s3cret-Scrape-pw"), ("scraper", "s3cret-Scrape-pw\n") })
        {
            using var bad = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = Basic(user, password) } };
            using var denied = await client.SendAsync(bad, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        }

        using var good = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = Basic("scraper", "s3cret-Scrape-pw") } };
        using var scraped = await client.SendAsync(good, ct);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE", await scraped.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        // Health endpoints stay open for orchestrator probes; ingest keeps its own API-key check.
        using var health = await client.GetAsync("/healthz", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ingest = await client.PostAsync("/v1/events", new StringContent("{}", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, ingest.StatusCode);
    }

    [Fact]
    public async Task Metrics_stay_open_without_a_password_file()
    {
        await using var app = App(passwordFile: null);
        using var scraped = await app.CreateClient().GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    public void A_missing_or_empty_password_file_stops_the_start(string kind)
    {
        var file = Path.Combine(dir, kind);
        if (kind == "empty")
        {
            File.WriteAllText(file, "\n");
        }

        using var app = App(file);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("PasswordFile", error.ToString(), StringComparison.Ordinal);
    }
}
