using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfOtel.Reports.Data;
using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Stack.Tests;

/// <summary>
/// Three stateless collector replicas behind the shipped HAProxy config, each scraped directly by a real Prometheus:
/// 16 concurrent clients through the balancer, and PromQL totals (raw series, the recording rules, the reports'
/// queries) that count every accepted event exactly once at N = 3.
/// </summary>
public sealed class CollectorReplicasTests(ReplicaStackFixture stack) : IClassFixture<ReplicaStackFixture>
{
    private const int Clients = 16;

    // One batch: 4 runs (2 success, 1 failure, 1 blocked), 3 LLM calls (1 failed), 1 tool call.
    private const int EventsPerBatch = 8;
    private const int RunsPerBatch = 4;
    private const int CallsPerBatch = 3;
    private const int FailedCallsPerBatch = 1;
    private const int InputTokensPerBatch = 340;
    private const int OutputTokensPerBatch = 60;
    private const int CachedInputTokensPerBatch = 40;

    [Fact]
    public async Task Sixteen_clients_through_the_balancer_give_exact_totals_over_three_replicas()
    {
        const int batchesPerClient = 25;
        const string agents = "gen_ai_agent_name=~\"lb-total-.*\"";
        var clients = new BalancedClients(stack);

        await clients.RunAsync(Clients, c => Batch($"lb-total-{c}", c), EventsPerBatch, batchesPerClient);

        const int batches = Clients * batchesPerClient;
        Assert.Equal(batches, clients.TotalAcceptedBatches);
        Assert.Equal(0, clients.FailedAttempts);

        // Every replica got a share, and Prometheus has exactly what each one accepted under its own instance.
        await stack.Prometheus.WaitForValueAsync($"sum(agent_run_duration_seconds_count{{{agents}}})", batches * RunsPerBatch, TimeSpan.FromSeconds(60));
        for (var i = 0; i < ReplicaStackFixture.Replicas; i++)
        {
            var share = clients.AcceptedBatchesOf(ReplicaStackFixture.ServerName(i));
            Assert.True(share > 0, $"replica {i} got no batch: {string.Join(", ", clients.AcceptedBatches)}");
            await AssertScalarAsync(share * RunsPerBatch, $"sum(agent_run_duration_seconds_count{{instance=\"{stack.Instance(i)}\", {agents}}})");
        }

        // Totals over the instances, from the raw series.
        await AssertScalarAsync(batches * CallsPerBatch, $"sum(gen_ai_client_operation_duration_seconds_count{{{agents}}})");
        await AssertScalarAsync(batches * FailedCallsPerBatch, $"sum(gen_ai_client_operation_duration_seconds_count{{error_type!=\"\", {agents}}})");
        await AssertScalarAsync(batches * InputTokensPerBatch, $"sum(gen_ai_client_token_usage_sum{{gen_ai_token_type=\"input\", {agents}}})");
        await AssertScalarAsync(batches * OutputTokensPerBatch, $"sum(gen_ai_client_token_usage_sum{{gen_ai_token_type=\"output\", {agents}}})");
        await AssertScalarAsync(batches * 2, $"sum(agent_run_duration_seconds_count{{agent_run_outcome=\"success\", {agents}}})");

        // The recording rules the dashboards and reports read: the hourly rollups (exact per-series increases, then
        // summed over instances; evaluated every second here) see every event once.
        await stack.Prometheus.WaitForValueAsync($"sum(gen_ai_agent_name_agent_team_agent_run_outcome:agent_runs:increase1h{{{agents}}})", batches * RunsPerBatch, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync($"sum(gen_ai_agent_name_gen_ai_provider_name_gen_ai_request_model:gen_ai_client_operations:increase1h{{{agents}}})", batches * CallsPerBatch, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync($"sum(gen_ai_agent_name_gen_ai_provider_name_gen_ai_request_model:gen_ai_client_operation_errors:increase1h{{{agents}}})", batches * FailedCallsPerBatch, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync($"sum(gen_ai_agent_name_gen_ai_provider_name_gen_ai_request_model_gen_ai_token_type:gen_ai_client_tokens:increase1h{{gen_ai_token_type=\"input\", {agents}}})", batches * InputTokensPerBatch, TimeSpan.FromSeconds(30));
        // Per-agent rules keep one series per agent, not one per replica.
        // (Waited for: its group is evaluated on its own schedule, which lags on a loaded machine.)
        await stack.Prometheus.WaitForValueAsync($"count(gen_ai_agent_name:agent_runs:rate5m{{{agents}}})", Clients, TimeSpan.FromSeconds(30));
        await AssertScalarAsync(Clients, $"count(gen_ai_agent_name:agent_runs:rate5m{{{agents}}})");

        // Storage, not totals: each replica keeps the label sets of every agent it served (docs/SCALING.md).
        var agentReplicaPairs = await stack.Prometheus.ScalarAsync($"count(count by (gen_ai_agent_name, instance) (agent_run_duration_seconds_count{{{agents}}}))");
        TestContext.Current.TestOutputHelper?.WriteLine($"{Clients} agents have run series on {agentReplicaPairs} (agent, replica) pairs");

        // The reports' own queries (exact increase per series, summed by the report's labels).
        Assert.Equal(batches * RunsPerBatch, await SumOfAgentsAsync(ReportQueries.Runs("10m")));
        Assert.Equal(batches * (InputTokensPerBatch + OutputTokensPerBatch + CachedInputTokensPerBatch), await SumOfAgentsAsync(ReportQueries.Tokens("10m")));
    }

    [Fact]
    public async Task Configuration_gauges_of_every_replica_are_read_once_not_added_up()
    {
        const string fleetDefault = "threshold=\"llm_error_ratio\", gen_ai_agent_name=\"\"";

        // Every replica exposes the same threshold, budget and probe result: a plain sum would triple them.
        await stack.Prometheus.WaitForValueAsync($"count(perfotel_alert_threshold{{{fleetDefault}}})", ReplicaStackFixture.Replicas, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("count(agent_budget_limit_usd{budget_name=\"lb-team-0\"})", ReplicaStackFixture.Replicas, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("count(perfotel_component_up{component=\"loadbalancer\"})", ReplicaStackFixture.Replicas, TimeSpan.FromSeconds(30));

        var threshold = await stack.Prometheus.ScalarAsync($"max(perfotel_alert_threshold{{{fleetDefault}}})");
        Assert.NotNull(threshold);
        await stack.Prometheus.WaitForValueAsync($"perfotel:alert_threshold:max{{{fleetDefault}}}", threshold.Value, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("budget:agent_budget_limit_usd:max{budget_name=\"lb-team-0\"}", ReplicaStackFixture.BudgetLimitUsd, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("component_probe_kind:perfotel_component_weight:max{component=\"loadbalancer\"}", 1, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("perfotel:component_health:score", 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Queue_rules_follow_the_replica_that_received_the_newest_snapshot()
    {
        // A snapshot reaches one replica; the other keeps its older value. Replica 1 first sees a backlog of 50,
        // then replica 2 sees it drained to 3 with 4 idle executors: the rules must say 3 and 4, not 50 and 0.
        await PostSnapshotAsync(0, depth: 50, idle: 0);
        await stack.Prometheus.WaitForValueAsync("agent_queue_name:agent_queue_depth:max{agent_queue_name=\"lb-queue\"}", 50, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await PostSnapshotAsync(1, depth: 3, idle: 4);
        await stack.Prometheus.WaitForValueAsync("count(agent_queue_depth{agent_queue_name=\"lb-queue\"})", 2, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("max(agent_queue_depth{agent_queue_name=\"lb-queue\"})", 50, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync("agent_queue_name:agent_queue_depth:max{agent_queue_name=\"lb-queue\"}", 3, TimeSpan.FromSeconds(30));
        await stack.Prometheus.WaitForValueAsync(
            "agent_queue_name_agent_executor_state:agent_queue_executors:max{agent_queue_name=\"lb-queue\", agent_executor_state=\"idle\"}", 4, TimeSpan.FromSeconds(30));
    }

    private async Task PostSnapshotAsync(int replica, int depth, int idle)
    {
        using var http = new HttpClient { BaseAddress = new Uri(stack.CollectorUrl(replica)), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", stack.ApiKey);
        var body = $$"""{"events":[{"type":"queue_snapshot","queue":"lb-queue","depth":{{depth}},"busy_executors":1,"idle_executors":{{idle}}}]}""";
        using var response = await http.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_replica_killed_mid_traffic_loses_no_batch_accepted_by_the_survivors()
    {
        const int killed = 2;
        const string agents = "gen_ai_agent_name=~\"lb-kill-.*\"";
        var killedServer = ReplicaStackFixture.ServerName(killed);
        var clients = new BalancedClients(stack);
        using var stop = new CancellationTokenSource();
        var traffic = clients.RunAsync(Clients, c => Batch($"lb-kill-{c}", c), EventsPerBatch, int.MaxValue, stop.Token);
        try
        {
            // Traffic on every replica, and the doomed one scraped with some of it, before the kill.
            await stack.Prometheus.WaitForValueAsync(
                $"count(sum by (instance) (agent_run_duration_seconds_count{{{agents}}}) > 0)", ReplicaStackFixture.Replicas, TimeSpan.FromSeconds(60));
            await stack.KillReplicaAsync(killed);
            var acceptedAtKill = clients.TotalAcceptedBatches;

            // Long enough for HAProxy to take the dead replica out and for the survivors to take over its share.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (clients.TotalAcceptedBatches < acceptedAtKill + 200 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            await stop.CancelAsync();
            await traffic;
            Assert.True(clients.TotalAcceptedBatches >= acceptedAtKill + 200, $"only {clients.TotalAcceptedBatches - acceptedAtKill} batches accepted after the kill\n{stack.Diagnostics()}");

            // Each survivor's series hold exactly the batches it answered 202: nothing a survivor accepted is lost or
            // counted twice, although clients resent whatever failed while the replica died.
            for (var i = 0; i < ReplicaStackFixture.Replicas; i++)
            {
                if (i != killed)
                {
                    await stack.Prometheus.WaitForValueAsync($"sum(agent_run_duration_seconds_count{{instance=\"{stack.Instance(i)}\", {agents}}})",
                        clients.AcceptedBatchesOf(ReplicaStackFixture.ServerName(i)) * RunsPerBatch, TimeSpan.FromSeconds(30));
                }
            }

            // Only requests in flight on the dead replica can fail (one per client); later ones are routed elsewhere.
            Assert.True(clients.FailedAttempts <= Clients, $"{clients.FailedAttempts} failed attempts");

            // The dead replica's last scrape stays queryable. What it accepted after that scrape died with its memory:
            // a replica is stateless, so up to one scrape interval of its share is lost on a crash (not on a restart
            // or a scale-down, which drain first). Upper bound: a failed attempt may have been counted before its
            // replica died, so reported <= accepted + failed.
            var reported = await stack.Prometheus.ScalarAsync($"sum(last_over_time(agent_run_duration_seconds_count{{instance=\"{stack.Instance(killed)}\", {agents}}}[10m]))");
            Assert.NotNull(reported);
            var acceptedByKilled = clients.AcceptedBatchesOf(killedServer) * RunsPerBatch;
            Assert.True(reported > 0 && reported <= acceptedByKilled + (clients.FailedAttempts * RunsPerBatch),
                $"the killed replica reported {reported} runs, accepted {acceptedByKilled}, failed attempts {clients.FailedAttempts}");
            var total = await stack.Prometheus.ScalarAsync($"sum(last_over_time(agent_run_duration_seconds_count{{{agents}}}[10m]))");
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"accepted runs {clients.TotalAcceptedBatches * RunsPerBatch} (killed replica {acceptedByKilled}), in Prometheus {total} (killed replica's last scrape {reported}): lost with the killed replica {acceptedByKilled - reported}; failed attempts {clients.FailedAttempts}"));
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await traffic;
            }
            catch (Exception)
            {
                // Only reached when the test already failed before awaiting the traffic: that failure tells why.
            }

            if (!stack.IsRunning(killed))
            {
                await stack.RestartReplicaAsync(killed);
            }
        }
    }

    [Fact]
    public async Task The_balancer_serves_only_ingest_and_passes_bodies_up_to_the_collectors_limit()
    {
        // A replica's /metrics, health and any other path stay off the balancer (each replica is scraped directly),
        // also when spelled with dot segments, which HttpClient would normalise away: sent raw.
        foreach (var path in new[] { "/metrics", "/healthz", "/readyz", "/v1/../metrics", "/v1/%2e%2e/metrics", "/v1/events/../../metrics", "/" })
        {
            Assert.Equal(404, await RawGetStatusAsync(path));
        }

        using var http = new HttpClient { BaseAddress = new Uri(stack.BalancerUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", stack.ApiKey);
        using (var ingest = await http.PostAsync("/v1/events", new StringContent("{\"events\":[]}", Encoding.UTF8, "application/json")))
        {
            // Reaches a replica: the collector's own validation answers, not the balancer.
            Assert.True(ingest.Headers.Contains(ReplicaStackFixture.ReplicaHeader), $"{(int)ingest.StatusCode} without replica header");
        }

        // The collector's MaxBodyBytes (4 MiB) is the only body limit: exactly 4 MiB passes the balancer, one byte
        // more is refused by the replica with its problem answer.
        const int maxBodyBytes = 4 * 1024 * 1024;
        const string batch = """{"events":[{"type":"run","agent":"lb-big","outcome":"success","duration_seconds":1}]}""";
        using (var atLimit = await http.PostAsync("/v1/events", new StringContent(batch.PadRight(maxBodyBytes), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, atLimit.StatusCode);
        }

        using (var overLimit = await http.PostAsync("/v1/events", new StringContent(batch.PadRight(maxBodyBytes + 1), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit.StatusCode);
            Assert.Equal("application/problem+json", overLimit.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>GET with the path exactly as given (no client-side normalisation); the status code of the answer.</summary>
    private async Task<int> RawGetStatusAsync(string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, stack.BalancerPort);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync() ?? "";
        var parts = status.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var code) ? code : throw new InvalidOperationException($"no HTTP answer to {path}: '{status}'");
    }

    private async Task AssertScalarAsync(double expected, string promQl) =>
        Assert.Equal(expected, await stack.Prometheus.ScalarAsync(promQl));

    /// <summary>Sum of a report query's values over the lb-total agents.</summary>
    private async Task<double> SumOfAgentsAsync(string promQl) =>
        (await stack.Prometheus.VectorAsync(promQl))
            .Where(s => s.GetProperty("metric").TryGetProperty("gen_ai_agent_name", out var a) && a.GetString()!.StartsWith("lb-total-", StringComparison.Ordinal))
            .Sum(s => double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));

    /// <summary>One batch of agent <paramref name="agent"/>; its counts are the constants above.</summary>
    private static string Batch(string agent, int client) => $$"""
        {"events":[
          {"type":"run","agent":"{{agent}}","team":"lb-team-{{client % 4}}","outcome":"success","duration_seconds":3,
           "phases":[{"name":"plan","duration_seconds":1},{"name":"execute","duration_seconds":2}]},
          {"type":"run","agent":"{{agent}}","team":"lb-team-{{client % 4}}","outcome":"success","duration_seconds":4},
          {"type":"run","agent":"{{agent}}","team":"lb-team-{{client % 4}}","outcome":"failure","error_category":"tool_error","duration_seconds":5},
          {"type":"run","agent":"{{agent}}","team":"lb-team-{{client % 4}}","outcome":"blocked","duration_seconds":1},
          {"type":"llm_call","agent":"{{agent}}","team":"lb-team-{{client % 4}}","provider":"lbprov","model":"lb-model-{{client % 2}}","operation":"chat","input_tokens":120,"cached_input_tokens":20,"output_tokens":30,"duration_seconds":0.5},
          {"type":"llm_call","agent":"{{agent}}","team":"lb-team-{{client % 4}}","provider":"lbprov","model":"lb-model-{{client % 2}}","operation":"chat","input_tokens":120,"cached_input_tokens":20,"output_tokens":30,"duration_seconds":0.7},
          {"type":"llm_call","agent":"{{agent}}","team":"lb-team-{{client % 4}}","provider":"lbprov","model":"lb-model-{{client % 2}}","operation":"chat","input_tokens":100,"output_tokens":0,"duration_seconds":0.2,"error_type":"rate_limited"},
          {"type":"tool_call","agent":"{{agent}}","team":"lb-team-{{client % 4}}","tool":"web_search","duration_seconds":0.3,"outcome":"success"}
        ]}
        """;
}
