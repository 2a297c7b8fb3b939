using PerfOtel.Production.Tests.Fixture;

namespace PerfOtel.Production.Tests;

/// <summary>Two Prometheus replicas fire the same alert; three Alertmanager peers notify once.</summary>
[Collection(SharedStack.Name)]
public sealed class HaDedupeTests(ProductionStack stack, ITestOutputHelper output)
{
    /// <summary>
    /// Longer than Alertmanager's peer timeout (15 s, shipped default): a peer that had not learnt of the first
    /// notification through gossip would have sent its own by then.
    /// </summary>
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Both_replicas_fire_and_the_receiver_gets_one_firing_and_one_resolved_notification()
    {
        const string incident = "ha-dedupe";
        var started = DateTimeOffset.UtcNow;
        await stack.SetIncidentAsync(incident, 1);

        // Both replicas evaluate the rule and fire, each with its own external labels.
        foreach (var prom in stack.Prometheus)
        {
            await Poll.UntilAsync(
                async () => await prom.ScalarAsync($"count(ALERTS{{alertname=\"ProductionTestIncident\",alertstate=\"firing\",component=\"{incident}\"}})") == 1,
                TimeSpan.FromSeconds(60), () => $"{prom.BaseUrl} does not fire ProductionTestIncident\n{stack.Diagnostics()}");
            // Each replica sends to every peer (3 Alertmanagers discovered, none dropped).
            await Poll.UntilAsync(async () => await prom.ScalarAsync("prometheus_notifications_alertmanagers_discovered") == 3
                    && await prom.ScalarAsync("sum(prometheus_notifications_sent_total)") >= 3,
                TimeSpan.FromSeconds(30), () => $"{prom.BaseUrl} has not sent alerts to the three Alertmanagers");
        }

        // Every peer holds ONE alert: without the replica label the two replicas' alerts are the same alert.
        foreach (var am in stack.Alertmanager)
        {
            await Poll.UntilAsync(
                async () => (await am.GetJsonAsync("/api/v2/alerts?filter=" + Uri.EscapeDataString($"component=\"{incident}\""))).GetArrayLength() == 1,
                TimeSpan.FromSeconds(30), () => $"{am.BaseUrl} does not hold exactly one {incident} alert");
            var labels = (await am.GetJsonAsync("/api/v2/alerts?filter=" + Uri.EscapeDataString($"component=\"{incident}\"")))[0].GetProperty("labels");
            Assert.False(labels.TryGetProperty("replica", out _), "the replica label reached Alertmanager: " + labels.GetRawText());
            Assert.Equal(ProductionStack.Cluster, labels.GetProperty("cluster").GetString());
        }

        await Poll.UntilAsync(() => Task.FromResult(stack.Notifications(incident).Count > 0), TimeSpan.FromSeconds(60),
            () => $"no notification for {incident}\n{stack.Diagnostics()}");
        var firstAt = stack.Notifications(incident)[0].At;
        await Task.Delay(DuplicateWindow);
        output.WriteLine(stack.NotificationLog(incident));
        var firing = stack.Notifications(incident).Count(n => n.Status == "firing");
        Assert.True(firing == 1, "firing notifications:\n" + stack.NotificationLog(incident));

        var resolving = DateTimeOffset.UtcNow;
        await stack.SetIncidentAsync(incident, 0);
        await Poll.UntilAsync(() => Task.FromResult(stack.Notifications(incident).Any(n => n.Status == "resolved")), TimeSpan.FromSeconds(60),
            () => $"no resolved notification for {incident}\n{stack.Diagnostics()}");
        var resolvedAt = stack.Notifications(incident).First(n => n.Status == "resolved").At;
        await Task.Delay(DuplicateWindow);

        var all = stack.Notifications(incident);
        Assert.True(all.Count == 2 && all.Count(n => n.Status == "resolved") == 1, "notifications:\n" + stack.NotificationLog(incident));
        // The Slack receiver of the same route: one message firing, one resolved.
        Assert.Equal(2, stack.SlackMessages(incident));
        output.WriteLine($"webhook notifications for the group: {all.Count(n => n.Status == "firing")} firing, {all.Count(n => n.Status == "resolved")} resolved; slack messages: {stack.SlackMessages(incident)}");
        output.WriteLine($"event -> firing notification {(firstAt - started).TotalSeconds:0.0} s; resolve -> resolved notification {(resolvedAt - resolving).TotalSeconds:0.0} s");
    }
}
