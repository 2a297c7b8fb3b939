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
