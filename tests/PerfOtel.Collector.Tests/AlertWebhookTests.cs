using System.Net;
using System.Text;
using PerfOtel.Collector.Observability;

namespace PerfOtel.Collector.Tests;

public sealed class AlertWebhookTests(CollectorApp app) : IClassFixture<CollectorApp>
{
    [Fact]
    public async Task Alertmanager_notification_is_counted_per_alert_and_status()
    {
        using var counted = app.Collect<long>(CollectorMetrics.MeterName, "perfotel.alert.notifications");
        const string payload = """
            {"version":"4","receiver":"warning","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"LLMErrorRatioHigh","severity":"warning"}},
              {"status":"resolved","labels":{"alertname":"PerfOtelCollectorDown","severity":"critical"}}]}
            """;
        using var r = await app.Authorized().PostAsync("/v1/alerts", new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        var m = counted.GetMeasurementSnapshot();
        Assert.Contains(m, x => (string?)x.Tags["status"] == "firing" && (string?)x.Tags["receiver"] == "warning");
        Assert.Contains(m, x => (string?)x.Tags["status"] == "resolved");
    }

    [Fact]
    public async Task Alert_webhook_requires_the_api_key()
    {
        using var r = await app.CreateClient().PostAsync("/v1/alerts", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Payload_without_alerts_is_a_400_problem()
    {
        using var r = await app.Authorized().PostAsync("/v1/alerts", new StringContent("{\"receiver\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class AlertHistoryTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("perfotel-alerts-").FullName;

    [Fact]
    public async Task Every_alert_of_a_notification_is_appended_as_one_json_line()
    {
        var file = Path.Combine(dir, "sub", "alert-history.jsonl");
        await using var app = new CollectorApp().WithWebHostBuilder(b => b.UseSetting("PerfOtel:Alerts:HistoryFile", file));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", CollectorApp.Key);
        const string payload = """
            {"version":"4","receiver":"critical","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"A","severity":"critical","gen_ai_agent_name":"x"},"annotations":{"summary":"s"},"startsAt":"2026-11-29T10:00:00Z","fingerprint":"f1"},
              {"status":"resolved","labels":{"alertname":"B","severity":"warning"},"startsAt":"2026-11-29T09:00:00Z","endsAt":"2026-11-29T10:00:00Z","fingerprint":"f2"}]}
            """;
        for (var i = 0; i < 2; i++)
        {
            using var r = await client.PostAsync("/v1/alerts", new StringContent(payload, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(4, lines.Length);
        var first = System.Text.Json.JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("A", first.GetProperty("alertname").GetString());
        Assert.Equal("firing", first.GetProperty("status").GetString());
        Assert.Equal("critical", first.GetProperty("receiver").GetString());
        Assert.Equal("x", first.GetProperty("labels").GetProperty("gen_ai_agent_name").GetString());
        Assert.Equal("resolved", System.Text.Json.JsonDocument.Parse(lines[1]).RootElement.GetProperty("status").GetString());
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
