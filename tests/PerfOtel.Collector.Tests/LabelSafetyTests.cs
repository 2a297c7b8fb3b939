using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PerfOtel.Collector.Labels;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Tests;

public sealed class LabelSafetyTests(CollectorApp app) : IClassFixture<CollectorApp>
{
    [Theory]
    [InlineData("/home/alice/project/secrets.py", LabelRedactor.Path)]
    [InlineData("C:\\Users\\bob\\agent.exe", LabelRedactor.Path)]
    [InlineData("./scripts/run.sh", LabelRedactor.Path)]
    [InlineData("alice@example.com", LabelRedactor.Email)]
    [InlineData("https://api.example.com/v1?token=abc", LabelRedactor.Secret)]
    [InlineData("https://api.example.com/v1?page=2", LabelRedactor.Url)]
    [InlineData("sk-proj-abcdefghijklmnop", LabelRedactor.Secret)]
    [InlineData("AKIAABCDEFGHIJKLMNOP", LabelRedactor.Secret)]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0", LabelRedactor.Secret)]
    [InlineData("3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a", LabelRedactor.Secret)]
    public void Sensitive_values_are_redacted(string value, string marker) => Assert.Equal(marker, LabelRedactor.Redaction(value));

    [Theory]
    [InlineData("gpt-4o-2024-08-06")]
    [InlineData("claude-3-5-sonnet@20240620")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0")]
    [InlineData("models/gemini-1.5-pro")]
    [InlineData("planner agent")]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct")]
    public void Ordinary_names_pass_unchanged(string value) => Assert.Null(LabelRedactor.Redaction(value));

    [Fact]
    public async Task A_path_sent_as_agent_name_never_reaches_a_label()
    {
        using var runs = app.Collect<double>(AgentSemanticConventions.MeterName, AgentSemanticConventions.RunDuration);
        using var r = await app.Authorized().PostAsync("/v1/events", new StringContent(
            """{"events":[{"type":"run","agent":"/home/alice/.ssh/id_rsa","team":"bob@example.com","outcome":"success","duration_seconds":1}]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var m = Assert.Single(runs.GetMeasurementSnapshot(), x => (string?)x.Tags["gen_ai.agent.name"] == LabelRedactor.Path);
        Assert.Equal(LabelRedactor.Email, m.Tags["agent.team"]);
    }

    [Fact]
    public async Task Distinct_values_past_the_cap_go_to_the_overflow_series()
    {
        await using var capped = app.WithWebHostBuilder(b => b.UseSetting("PerfOtel:Ingest:MaxDistinctValuesPerLabel", "5"));
        using var runs = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double>(
            capped.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), AgentSemanticConventions.MeterName, AgentSemanticConventions.RunDuration);
        var client = capped.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", CollectorApp.Key);
        var events = Enumerable.Range(0, 20).Select(i => $$"""{"type":"run","agent":"agent-{{i}}","outcome":"success","duration_seconds":1}""");
        using var r = await client.PostAsync("/v1/events", new StringContent("{\"events\":[" + string.Join(',', events) + "]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);

        var agents = runs.GetMeasurementSnapshot().Select(m => (string)m.Tags["gen_ai.agent.name"]!).ToList();
        Assert.Equal(20, agents.Count);
        Assert.Equal(5, agents.Distinct().Count(a => a != LabelCardinalityGuard.Overflow));
        Assert.Equal(15, agents.Count(a => a == LabelCardinalityGuard.Overflow));
        Assert.Equal(5, capped.Services.GetRequiredService<LabelCardinalityGuard>().DistinctValues("gen_ai.agent.name"));
    }

    [Fact]
    public async Task Rate_limited_key_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        await using var limited = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("PerfOtel:Ingest:RateLimit:RequestsPerSecond", "1");
            b.UseSetting("PerfOtel:Ingest:RateLimit:Burst", "2");
        });
        var body = """{"events":[{"type":"run","agent":"rl","outcome":"success","duration_seconds":1}]}""";
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", CollectorApp.Key);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 5; i++)
        {
            var r = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = r;
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        var other = limited.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", "another-key-abcdef");
        using var ok = await other.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
    }
}
