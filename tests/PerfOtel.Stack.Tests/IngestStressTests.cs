using System.Net;
using System.Text;
using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Stack.Tests;

/// <summary>Many clients at once and hostile bodies, against the real collector process and real Prometheus.</summary>
[Collection(StackCollection.Name)]
public sealed class IngestStressTests(StackFixture stack)
{
    [Fact]
    public async Task Parallel_clients_end_with_exact_totals_in_prometheus()
    {
        const int clients = 32;
        const int batchesPerClient = 100;
        const int eventsPerBatch = 500;

        // Each client sends runs of its own agent; half of each batch is runs, half LLM calls.
        async Task Client(int c)
        {
            var events = new StringBuilder("{\"events\":[");
            for (var i = 0; i < eventsPerBatch; i++)
            {
                events.Append(i > 0 ? "," : "").Append(i % 2 == 0
                    ? $$"""{"type":"run","agent":"conc-{{c}}","outcome":"success","duration_seconds":1.5}"""
                    : $$"""{"type":"llm_call","agent":"conc-{{c}}","provider":"conc","model":"conc-model","operation":"chat","input_tokens":3,"output_tokens":2,"duration_seconds":0.1}""");
            }

            var body = events.Append("]}").ToString();
            for (var b = 0; b < batchesPerClient; b++)
            {
                await stack.PostEventsAsync(body);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(c))));

        const double expectedRuns = clients * batchesPerClient * eventsPerBatch / 2;
        await stack.Prometheus.WaitForValueAsync("sum(agent_run_duration_seconds_count{gen_ai_agent_name=~\"conc-.*\"})", expectedRuns, TimeSpan.FromSeconds(60));
        Assert.Equal(expectedRuns, await stack.Prometheus.ScalarAsync("sum(gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name=\"conc\"})"));
        Assert.Equal(expectedRuns * 3, await stack.Prometheus.ScalarAsync("sum(gen_ai_client_token_usage_sum{gen_ai_provider_name=\"conc\",gen_ai_token_type=\"input\"})"));
        Assert.Equal(clients, await stack.Prometheus.ScalarAsync("count(sum by (gen_ai_agent_name) (agent_run_duration_seconds_count{gen_ai_agent_name=~\"conc-.*\"}))"));
    }

    [Fact]
    public async Task Thousands_of_hostile_bodies_get_problem_answers_and_exposition_stays_valid()
    {
        var random = new Random(20261129);
        const string seed = """{"events":[{"type":"run","agent":"hostile","team":"red","outcome":"failure","error_category":"x","duration_seconds":1,"phases":[{"name":"plan","duration_seconds":0.5}]},{"type":"llm_call","agent":"hostile","provider":"p","model":"m","operation":"chat","input_tokens":1,"output_tokens":1,"duration_seconds":0.1}]}""";
        string[] nasty = ["\"", "\\", "\n", "\u0000", "é", "😀", "\u202e", "{", "}", "[", "]", ":", ",", "null", "1e999", "-0", "NaN", "\"\\n\"", "\"a\\\"b\"", "\"\\u0000\""];
        var statuses = new Dictionary<int, int>();
        using var http = new HttpClient { BaseAddress = new Uri(stack.CollectorUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", stack.ApiKey);
        for (var i = 0; i < 3000; i++)
        {
            var body = Mutate(seed, random, nasty);
            using var r = await http.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
            var status = (int)r.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status is 202 or (>= 400 and < 500), $"status {status} for body: {body}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > 1000, string.Join(", ", statuses));
        Assert.False(stack.CollectorProcess.HasExited);

        using var req = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        req.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var metrics = await http.SendAsync(req);
        var path = Path.Combine(stack.Dir, "exposition-hostile.txt");
        await File.WriteAllTextAsync(path, await metrics.Content.ReadAsStringAsync());
        var lint = await ToolRun.RunAsync("bash", ["-c", $"promtool check metrics < '{path}'"]);
        var problems = lint.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("process_", StringComparison.Ordinal) && !l.StartsWith("dotnet_", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        await stack.WaitForScrapeAsync();
        Assert.Equal(1, await stack.Prometheus.ScalarAsync("up{job=\"perfotel-collector\"}"));
    }

    private static string Mutate(string seed, Random random, string[] nasty)
    {
        switch (random.Next(5))
        {
            case 0:
                // Random bytes.
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes);
            case 1:
                // Truncated.
                return seed[..random.Next(seed.Length)];
            case 2:
                // Deep nesting past the parser's depth limit.
                var depth = random.Next(50, 2000);
                return "{\"events\":" + new string('[', depth) + new string(']', depth) + "}";
            default:
                // A few insertions of characters that break quoting, JSON or exposition.
                var s = new StringBuilder(seed);
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    s.Insert(random.Next(s.Length), nasty[random.Next(nasty.Length)]);
                }

                return s.ToString();
        }
    }
}
