using PerfOtel.Stack.Tests.Fixture;
using static PerfOtel.Stack.Tests.Fixture.NotificationPayloads;

namespace PerfOtel.Stack.Tests;

/// <summary>
/// Faults posted to the ingest API, through real Prometheus (1 s intervals) and Alertmanager (shipped routing), to
/// every receiver of their route, and the resolved notifications once good traffic brings the ratio back: a page
/// (critical: alert log, Slack, email) and a warning (alert log and Slack, no email).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class NotificationTests(StackFixture stack)
{
    /// <summary>Catches a broken pipeline; not a performance target (this stack notifies within seconds).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Failing_runs_page_by_webhook_slack_and_email_and_resolve_when_runs_succeed_again()
    {
        const string agent = "e2e-page";
        // The series first, failures included (rate() sees no increase in a counter's first sample), then the
        // fault: 8 runs in a row fail. AgentRunSuccessRatioLow (critical) pages at the first evaluation.
        await stack.PostEventsAsync(Runs(agent, ok: 1, failed: 1));
        await stack.WaitForScrapeAsync();
        await stack.PostEventsAsync(Runs(agent, ok: 0, failed: 8));

        (string, string) ours = ("gen_ai_agent_name", agent);
        var webhook = await stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "firing", ("alertname", "AgentRunSuccessRatioLow"), ours), Patience);
        Assert.Equal("critical", webhook.Body.GetProperty("receiver").GetString());
        Assert.Equal(agent, webhook.Body.GetProperty("groupLabels").GetProperty("gen_ai_agent_name").GetString());
        Assert.Equal("Bearer " + stack.ApiKey, webhook.Authorization);
        var alert = Alerts(webhook.Body, "firing", ("alertname", "AgentRunSuccessRatioLow"), ours).First();
        Assert.Equal("critical", Label(alert, "severity"));
        Assert.Equal("docs/runbooks/AgentRunSuccessRatioLow.md", alert.GetProperty("annotations").GetProperty("runbook_url").GetString());

        // Slack: "[FIRING:1] AgentRunSuccessRatioLow (gen_ai_agent_name=e2e-page) [critical]" (the fast SLO burn of
        // the same agent, should it fire too, joins the same message), each alert's summary and runbook in the text.
        var slack = await stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).StartsWith("[FIRING:", StringComparison.Ordinal) && SlackText(b).Contains("*AgentRunSuccessRatioLow*: Runs of agent " + agent, StringComparison.Ordinal), Patience);
        Assert.Equal("#perfotel-alerts", slack.Body.GetProperty("channel").GetString());
        Assert.Equal("danger", SlackColor(slack.Body));
        Assert.EndsWith($"(gen_ai_agent_name={agent}) [critical]", SlackTitle(slack.Body));
        Assert.Contains("Runbook: docs/runbooks/AgentRunSuccessRatioLow.md", SlackText(slack.Body));

        // Email, authenticated with the password file.
        var mail = await stack.Smtp.WaitForAsync(m => m.Subject.StartsWith("[FIRING:", StringComparison.Ordinal) && m.Subject.Contains($"gen_ai_agent_name={agent}", StringComparison.Ordinal), Patience);
        Assert.Equal(["perfotel-oncall@example.com"], mail.RcptTo);
        Assert.Equal(stack.SmtpPassword, mail.AuthPassword);
        Assert.EndsWith("[critical]", mail.Subject);
        Assert.Contains("AgentRunSuccessRatioLow", mail.Data);

        // The fault stops: 60 good runs bring the 5-minute success ratio to 61/70, clearly above the 80% threshold.
        await stack.PostEventsAsync(Runs(agent, ok: 60, failed: 0));
        var resolved = await stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "resolved", ("alertname", "AgentRunSuccessRatioLow"), ours), Patience);
        Assert.Equal("critical", resolved.Body.GetProperty("receiver").GetString());
        await stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).Contains(agent, StringComparison.Ordinal) && SlackText(b).Contains("*AgentRunSuccessRatioLow* (resolved)", StringComparison.Ordinal), Patience);
        await stack.Smtp.WaitForAsync(m => m.Subject.StartsWith("[RESOLVED]", StringComparison.Ordinal) && m.Subject.Contains($"gen_ai_agent_name={agent}", StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task Llm_fault_warns_by_webhook_and_slack_only_and_resolves_when_good_traffic_returns()
    {
        const string provider = "e2e-notify";
        const string model = "e2e-notify-model";
        await stack.PostEventsAsync(Calls(provider, model, ok: 40, failed: 1));
        await stack.WaitForScrapeAsync();
        await stack.PostEventsAsync(Calls(provider, model, ok: 20, failed: 30));

        (string, string) ours = ("gen_ai_request_model", model);
        var firing = await stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "firing", ("alertname", "LLMErrorRatioHigh"), ours), Patience);
        Assert.Equal("warning", Label(Alerts(firing.Body, "firing", ours).First(), "severity"));
        Assert.Equal("warning", firing.Body.GetProperty("receiver").GetString());
        // LLM-call alerts are grouped by provider: the incident is the provider, whichever agents and models it hits.
        var group = firing.Body.GetProperty("groupLabels");
        Assert.Equal(provider, group.GetProperty("gen_ai_provider_name").GetString());
        Assert.Single(group.EnumerateObject());
        Assert.Equal("Bearer " + stack.ApiKey, firing.Authorization);

        var slack = await stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).StartsWith("[FIRING:", StringComparison.Ordinal) && SlackTitle(b).Contains(provider, StringComparison.Ordinal), Patience);
        Assert.Equal("#perfotel-alerts", slack.Body.GetProperty("channel").GetString());
        Assert.Equal("danger", SlackColor(slack.Body));
        Assert.StartsWith("[FIRING:1] LLMErrorRatioHigh", SlackTitle(slack.Body));
        Assert.EndsWith($"(gen_ai_provider_name={provider}) [warning]", SlackTitle(slack.Body));
        Assert.Contains($"*LLMErrorRatioHigh*: LLM calls of e2e-notify to {provider}/{model} are failing", SlackText(slack.Body));
        Assert.Contains("Runbook: docs/runbooks/LLMErrorRatioHigh.md", SlackText(slack.Body));

        // The fault stops: 2000 good calls bring the 5-minute error ratio to 31/2091 = 1.5%, under the 5% threshold.
        await stack.PostEventsAsync(Calls(provider, model, ok: 2000, failed: 0));
        var resolved = await stack.Listener.WaitForAsync("/webhook", b => HasAlert(b, "resolved", ("alertname", "LLMErrorRatioHigh"), ours), Patience);
        Assert.True(resolved.At > firing.At);
        Assert.Equal("warning", resolved.Body.GetProperty("receiver").GetString());
        var slackResolved = await stack.Listener.WaitForAsync("/slack", b => SlackTitle(b).Contains(provider, StringComparison.Ordinal) && SlackText(b).Contains("*LLMErrorRatioHigh* (resolved)", StringComparison.Ordinal), Patience);
        Assert.Equal("#perfotel-alerts", slackResolved.Body.GetProperty("channel").GetString());
        if (resolved.Body.GetProperty("status").GetString() == "resolved")
        {
            // Nothing else of this provider still fires: the whole message is a resolution.
            Assert.StartsWith("[RESOLVED] LLMErrorRatioHigh", SlackTitle(slackResolved.Body));
            Assert.Equal("good", SlackColor(slackResolved.Body));
        }

        // A warning is never mailed.
        Assert.DoesNotContain(stack.Smtp.Received, m => m.Subject.Contains(provider, StringComparison.Ordinal));
    }

    internal static string Runs(string agent, int ok, int failed)
    {
        var events = Enumerable.Range(0, ok).Select(_ => Run("success"))
            .Concat(Enumerable.Range(0, failed).Select(_ => Run("failure")));
        return "{\"events\":[" + string.Join(',', events) + "]}";

        string Run(string outcome) =>
            $$"""{"type":"run","agent":"{{agent}}","outcome":"{{outcome}}"{{(outcome == "failure" ? ",\"error_category\":\"tool_error\"" : "")}},"duration_seconds":3}""";
    }

    private static string Calls(string provider, string model, int ok, int failed)
    {
        var events = Enumerable.Range(0, ok).Select(_ => Call(null)).Concat(Enumerable.Range(0, failed).Select(_ => Call("rate_limited")));
        return "{\"events\":[" + string.Join(',', events) + "]}";

        string Call(string? error) =>
            $$"""{"type":"llm_call","agent":"e2e-notify","provider":"{{provider}}","model":"{{model}}","operation":"chat","input_tokens":10,"output_tokens":5,"duration_seconds":0.2{{(error is null ? "" : ",\"error_type\":\"" + error + "\"")}}}""";
    }
}
