using System.Text;
using System.Text.Json;
using PerfOtel.Production.Tests.Fixture;

namespace PerfOtel.Production.Tests;

/// <summary>
/// With an incident firing, one Alertmanager peer and one Prometheus replica die (SIGKILL): notifications still go
/// out, once, within the single-stack latency target, and a silence made before the loss still holds. Own stack:
/// it kills servers.
/// </summary>
public sealed class FaultTests(ProductionStack stack, ITestOutputHelper output) : IClassFixture<ProductionStack>
{
    /// <summary>docs/ALERTING.md: a fault is notified within 30 s.</summary>
    private static readonly TimeSpan LatencyTarget = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Losing_an_Alertmanager_peer_and_a_Prometheus_replica_still_notifies_once_in_time_and_keeps_silences()
    {
        await stack.SetIncidentAsync("fault-open", 1);
        await Poll.UntilAsync(() => Task.FromResult(stack.Notifications("fault-open").Count > 0), TimeSpan.FromSeconds(60),
            () => "no notification for fault-open\n" + stack.Diagnostics());

        var silenceId = await SilenceAsync("fault-silenced");
        foreach (var am in stack.Alertmanager)
        {
            await Poll.UntilAsync(async () => await SilenceStateAsync(am, silenceId) == "active", TimeSpan.FromSeconds(30),
                () => $"{am.BaseUrl} does not know silence {silenceId}");
        }

        // The worst case: the peer at position 0 sends first; the others wait their position x peer timeout for it.
        var victim = await FirstPeerAsync();
        await stack.KillAsync($"alertmanager-{victim + 1}");
        await stack.KillAsync("prometheus-a");
        var survivors = Enumerable.Range(0, 3).Where(i => i != victim).Select(i => stack.Alertmanager[i]).ToList();
        output.WriteLine($"killed alertmanager-{victim + 1} (cluster position 0) and prometheus-a with SIGKILL");

        var t0 = DateTimeOffset.UtcNow;
        await stack.SetIncidentAsync("fault-new", 1);
        await stack.SetIncidentAsync("fault-silenced", 1);
        await stack.SetIncidentAsync("fault-open", 0);

        await Poll.UntilAsync(() => Task.FromResult(stack.Notifications("fault-new").Count > 0), TimeSpan.FromSeconds(90),
            () => "no notification for fault-new after the kill\n" + stack.Diagnostics());
        var latency = stack.Notifications("fault-new")[0].At - t0;
        await Poll.UntilAsync(() => Task.FromResult(stack.Notifications("fault-open").Any(n => n.Status == "resolved")), TimeSpan.FromSeconds(90),
            () => "no resolved notification for fault-open after the kill\n" + stack.Diagnostics());
        var resolvedLatency = stack.Notifications("fault-open").First(n => n.Status == "resolved").At - t0;

        // The silenced incident fires on the surviving replica and is held back by the surviving peers.
        var prometheusB = stack.Prometheus[1];
        await Poll.UntilAsync(
            async () => await prometheusB.ScalarAsync("count(ALERTS{alertname=\"ProductionTestIncident\",alertstate=\"firing\",component=\"fault-silenced\"})") == 1,
            TimeSpan.FromSeconds(60), () => "prometheus-b does not fire fault-silenced");
        foreach (var am in survivors)
        {
            Assert.Equal("active", await SilenceStateAsync(am, silenceId));
            await Poll.UntilAsync(async () => await SuppressedBySilenceAsync(am, "fault-silenced", silenceId), TimeSpan.FromSeconds(30),
                () => $"{am.BaseUrl}: fault-silenced is not suppressed by {silenceId}");
        }

        await Task.Delay(DuplicateWindow);
        var log = "\n" + stack.NotificationLog("fault-new") + "\n" + stack.NotificationLog("fault-open") + "\n" + stack.NotificationLog("fault-silenced");
        Assert.True(stack.Notifications("fault-new").Count == 1, "fault-new: one notification expected" + log);
        Assert.True(stack.Notifications("fault-open").Count(n => n.Status == "firing") == 1, "fault-open: one firing notification expected" + log);
        Assert.True(stack.Notifications("fault-open").Count(n => n.Status == "resolved") == 1, "fault-open: one resolved notification expected" + log);
        Assert.True(stack.Notifications("fault-silenced").Count == 0, "fault-silenced: silenced, nothing expected" + log);
        Assert.True(latency < LatencyTarget, $"fault-new notified {latency.TotalSeconds:0.0} s after the event (target {LatencyTarget.TotalSeconds} s)");
        output.WriteLine($"after the kill: fault-new notified once, {latency.TotalSeconds:0.0} s after the event; fault-open resolved once, {resolvedLatency.TotalSeconds:0.0} s (at its group's next group_interval tick); fault-silenced: 0 notifications, silence {silenceId} active on both survivors");
    }

    private async Task<string> SilenceAsync(string incident)
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new
        {
            matchers = new[] { new { name = "component", value = incident, isRegex = false, isEqual = true } },
            startsAt = now.AddSeconds(-5),
            endsAt = now.AddHours(1),
            createdBy = "production-tests",
            comment = "made before the kill",
        });
        var (status, text) = await stack.Alertmanager[1].SendAsync(HttpMethod.Post, "/api/v2/silences", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True((int)status == 200, $"silence not created: {(int)status} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("silenceID").GetString()!;
    }

    private static async Task<string?> SilenceStateAsync(SecureApi am, string id)
    {
        var (status, text) = await am.SendAsync(HttpMethod.Get, "/api/v2/silence/" + id);
        if ((int)status != 200)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("status").GetProperty("state").GetString();
    }

    private static async Task<bool> SuppressedBySilenceAsync(SecureApi am, string incident, string silenceId)
    {
        var alerts = await am.GetJsonAsync("/api/v2/alerts?silenced=true&filter=" + Uri.EscapeDataString($"component=\"{incident}\""));
        return alerts.EnumerateArray().Any(a => a.GetProperty("status").GetProperty("state").GetString() == "suppressed"
            && a.GetProperty("status").GetProperty("silencedBy").EnumerateArray().Any(s => s.GetString() == silenceId));
    }

    /// <summary>The index of the peer that notifies first: its name sorts first among the cluster's members.</summary>
    private async Task<int> FirstPeerAsync()
    {
        var names = new List<string>();
        foreach (var am in stack.Alertmanager)
        {
            names.Add((await am.GetJsonAsync("/api/v2/status")).GetProperty("cluster").GetProperty("name").GetString()!);
        }

        var first = names.Order(StringComparer.Ordinal).First();
        return names.IndexOf(first);
    }
}
