using System.Globalization;
using PerfOtel.Stack.Tests.Fixture;
using static PerfOtel.Stack.Tests.Fixture.NotificationPayloads;

namespace PerfOtel.Stack.Tests;

/// <summary>
/// The page path with the configs exactly as shipped (15 s scrape and evaluation, the rules' <c>for:</c>, the
/// critical route's Alertmanager waits), measuring fault-to-notification latency (docs/ALERTING.md, "Routing and
/// notifications"): failing runs posted to the ingest API, and the collector process dying. The bounds only catch a
/// broken pipeline; they are not the latency target.
/// </summary>
[Collection(ShippedStackCollection.Name)]
public sealed class ShippedLatencyTests(ShippedStackFixture fixture)
{
    /// <summary>
    /// Worst case by construction for a critical rule with <c>for: 0s</c>: scrape 15 s + evaluation of the recording
    /// rules 15 s + evaluation of the alert 15 s + group_wait 5 s = 50 s.
    /// </summary>
    private static readonly TimeSpan FiringBound = TimeSpan.FromSeconds(120);

    /// <summary>Worst case: restart + scrape 15 s + evaluation 15 s + the critical route's group_interval 60 s.</summary>
    private static readonly TimeSpan ResolvedBound = TimeSpan.FromSeconds(120);

    private StackFixture Stack => fixture.Stack;

    [Fact]
    public async Task Failing_runs_posted_to_ingest_page_on_every_channel_with_shipped_intervals()
    {
        Assert.True(Stack.ShippedIntervals);
        const string agent = "e2e-latency";
        var p = Stack.Prometheus;

        // Steady state before the fault: the agent's series exist (failures included), have been scraped twice
        // and its thresholds and rates are recorded, as for any agent that has been running for a while.
        await Stack.PostEventsAsync(NotificationTests.Runs(agent, ok: 1, failed: 1));
        await Stack.WaitForScrapeAsync();
        await Stack.WaitForScrapeAsync();
        await WaitForSeriesAsync($"gen_ai_agent_name_threshold:perfotel_alert_threshold:effective{{gen_ai_agent_name=\"{agent}\",threshold=\"run_success_ratio_min\"}}");
        await WaitForSeriesAsync($"gen_ai_agent_name:agent_runs:rate5m{{gen_ai_agent_name=\"{agent}\"}}");

        var fault = DateTimeOffset.UtcNow;
        await Stack.PostEventsAsync(NotificationTests.Runs(agent, ok: 0, failed: 8));

        (string, string) ours = ("gen_ai_agent_name", agent);
        var webhook = await Stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "firing", ours), FiringBound);
        var slack = await Stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).StartsWith("[FIRING:", StringComparison.Ordinal) && SlackTitle(b).Contains($"gen_ai_agent_name={agent}", StringComparison.Ordinal), FiringBound);
        var mail = await Stack.Smtp.WaitForAsync(m => m.Subject.StartsWith("[FIRING:", StringComparison.Ordinal) && m.Subject.Contains($"gen_ai_agent_name={agent}", StringComparison.Ordinal), FiringBound);

        // AgentRunSuccessRatioLow and the fast SLO burn of the agent are both pages; whichever fires first opens the
        // incident, and one that fires within the critical group_wait joins the same notification.
        var alerts = Alerts(webhook.Body, "firing", ours).ToList();
        Assert.All(alerts, a => Assert.Equal("critical", Label(a, "severity")));
        Assert.Equal("critical", webhook.Body.GetProperty("receiver").GetString());
        Assert.Equal("#perfotel-alerts", slack.Body.GetProperty("channel").GetString());
        Assert.Equal(Stack.SmtpPassword, mail.AuthPassword);
        var firedAt = alerts.Min(a => a.GetProperty("startsAt").GetDateTimeOffset());

        Report($"shipped intervals, ingest fault (8 failed runs) -> {string.Join(" + ", alerts.Select(a => Label(a, "alertname")))}: webhook {S(webhook.At - fault)}, Slack {S(slack.At - fault)}, email {S(mail.At - fault)} " +
            $"(Prometheus fired the first {S(firedAt - fault)} after the fault, Alertmanager notified {S(webhook.At - firedAt)} later)");

        // The fault stops (the resolved path is covered on the fast stack and by the collector test below).
        await Stack.PostEventsAsync(NotificationTests.Runs(agent, ok: 60, failed: 0));
    }

    [Fact]
    public async Task Collector_down_pages_by_email_slack_and_webhook_and_resolves_when_it_returns()
    {
        const string alertName = "PerfOtelCollectorDown";
        Assert.True(Stack.ShippedIntervals);
        var instance = $"127.0.0.1:{Stack.CollectorPort}";

        var fault = DateTimeOffset.UtcNow;
        await Stack.StopCollectorAsync();

        (string, string) ours = ("alertname", alertName);
        var webhook = await Stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "firing", ours), FiringBound);
        var slack = await Stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).StartsWith("[FIRING:1] " + alertName, StringComparison.Ordinal), FiringBound);
        var mail = await Stack.Smtp.WaitForAsync(m => m.Subject.StartsWith("[FIRING:1] " + alertName, StringComparison.Ordinal), FiringBound);

        // The alert log webhook: the critical receiver, with the shared key from the credentials file.
        Assert.Equal("critical", webhook.Body.GetProperty("receiver").GetString());
        Assert.Equal("Bearer " + Stack.ApiKey, webhook.Authorization);
        var alert = Alerts(webhook.Body, "firing", ours).First();
        Assert.Equal("critical", Label(alert, "severity"));
        Assert.Equal(instance, webhook.Body.GetProperty("groupLabels").GetProperty("instance").GetString());
        var firedAt = alert.GetProperty("startsAt").GetDateTimeOffset();

        // Slack, in Slack's payload shape.
        Assert.Equal("#perfotel-alerts", slack.Body.GetProperty("channel").GetString());
        Assert.Equal($"[FIRING:1] {alertName} (instance={instance}) [critical]", SlackTitle(slack.Body));
        Assert.Equal("danger", SlackColor(slack.Body));
        Assert.Contains("Runbook: docs/runbooks/PerfOtelCollectorDown.md", SlackText(slack.Body));

        // Email through the SMTP sink: envelope, authentication with the password file, headers.
        Assert.Equal("perfotel-alertmanager@example.com", mail.MailFrom);
        Assert.Equal(["perfotel-oncall@example.com"], mail.RcptTo);
        Assert.Equal("perfotel-alertmanager@example.com", mail.AuthUser);
        Assert.Equal(Stack.SmtpPassword, mail.AuthPassword);
        Assert.Equal($"[FIRING:1] {alertName} (instance={instance}) [critical]", mail.Subject);
        Assert.Contains(alertName, mail.Data);

        // The fault stops.
        var fix = DateTimeOffset.UtcNow;
        await Stack.RestartCollectorAsync();
        var resolvedWebhook = await Stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "resolved", ours), ResolvedBound);
        var resolvedSlack = await Stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).StartsWith("[RESOLVED] " + alertName, StringComparison.Ordinal), ResolvedBound);
        var resolvedMail = await Stack.Smtp.WaitForAsync(m => m.Subject.StartsWith("[RESOLVED] " + alertName, StringComparison.Ordinal), ResolvedBound);
        Assert.Equal("good", SlackColor(resolvedSlack.Body));
        Assert.Equal(Stack.SmtpPassword, resolvedMail.AuthPassword);

        // One page per channel for the incident: TargetDown of the collector's job is inhibited, nothing repeats.
        Assert.Single(Stack.Smtp.Received, m => m.Subject.StartsWith("[FIRING", StringComparison.Ordinal) && m.Subject.Contains(instance, StringComparison.Ordinal));
        Assert.Single(Stack.Listener.Received, r => r.Path == "/slack" && SlackTitle(r.Body).StartsWith("[FIRING", StringComparison.Ordinal) && SlackTitle(r.Body).Contains(instance, StringComparison.Ordinal));

        Report($"shipped intervals, collector process killed -> {alertName}: webhook {S(webhook.At - fault)}, Slack {S(slack.At - fault)}, email {S(mail.At - fault)} " +
            $"(Prometheus fired it {S(firedAt - fault)} after the fault, Alertmanager notified {S(webhook.At - firedAt)} later); " +
            $"collector restarted -> resolved: webhook {S(resolvedWebhook.At - fix)}, Slack {S(resolvedSlack.At - fix)}, email {S(resolvedMail.At - fix)}");
    }

    private async Task WaitForSeriesAsync(string selector)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(1000))
        {
            if ((await Stack.Prometheus.VectorAsync(selector)).Length > 0)
            {
                return;
            }
        }

        throw new TimeoutException($"{selector} did not appear within 90 s\n{Stack.Diagnostics()}");
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>The measured latencies: test output, a test attachment, and a file when PERFOTEL_LATENCY_REPORT names one.</summary>
    private static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.AddAttachment("latency", line);
        var file = Environment.GetEnvironmentVariable("PERFOTEL_LATENCY_REPORT");
        if (!string.IsNullOrEmpty(file))
        {
            File.AppendAllText(file, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + " " + line + Environment.NewLine);
        }
    }
}
