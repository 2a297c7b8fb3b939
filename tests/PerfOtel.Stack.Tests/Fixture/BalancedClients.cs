using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// Concurrent ingest clients that send through the load balancer, each on its own connection, and keep the tally a
/// test compares Prometheus with: batches answered 202 per replica (from the test-only replica header) and attempts
/// that failed. A client resends a batch after a 5xx or a connection error, as a real agent would; any 4xx fails
/// the test.
/// </summary>
public sealed class BalancedClients(ReplicaStackFixture stack)
{
    /// <summary>Attempts per batch before the test fails (a balancer that keeps answering errors).</summary>
    private const int MaxAttempts = 20;

    private readonly ConcurrentDictionary<string, int> acceptedBatches = new();
    private int failedAttempts;

    /// <summary>Batches answered 202 by each replica (keyed by the balancer's server name).</summary>
    public IReadOnlyDictionary<string, int> AcceptedBatches => acceptedBatches;

    public int AcceptedBatchesOf(string server) => acceptedBatches.GetValueOrDefault(server);

    public int TotalAcceptedBatches => acceptedBatches.Values.Sum();

    /// <summary>Attempts answered 5xx or lost with their connection (each was resent).</summary>
    public int FailedAttempts => Volatile.Read(ref failedAttempts);

    /// <summary>
    /// Runs <paramref name="clients"/> clients; client c sends <c>body(c)</c> (<paramref name="eventsPerBatch"/>
    /// events) <paramref name="batchesPerClient"/> times, or until <paramref name="stop"/> when that is given.
    /// </summary>
    public async Task RunAsync(int clients, Func<int, string> body, int eventsPerBatch, int batchesPerClient, CancellationToken stop = default)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(stack.BalancerUrl), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", stack.ApiKey);
            var json = body(c);
            for (var b = 0; b < batchesPerClient && !stop.IsCancellationRequested; b++)
            {
                await SendAsync(http, json, eventsPerBatch);
            }
        })));
    }

    private async Task SendAsync(HttpClient http, string json, int eventsPerBatch)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                using var r = await http.PostAsync("/v1/events", new StringContent(json, Encoding.UTF8, "application/json"));
                var text = await r.Content.ReadAsStringAsync();
                if (r.StatusCode == HttpStatusCode.Accepted)
                {
                    using var doc = JsonDocument.Parse(text);
                    Assert.Equal(eventsPerBatch, doc.RootElement.GetProperty("accepted").GetInt32());
                    var server = r.Headers.TryGetValues(ReplicaStackFixture.ReplicaHeader, out var v) ? v.Single() : "(no replica header)";
                    acceptedBatches.AddOrUpdate(server, 1, (_, n) => n + 1);
                    return;
                }

                Assert.True((int)r.StatusCode >= 500, $"the balancer answered {(int)r.StatusCode}: {text}");
            }
            catch (HttpRequestException)
            {
                // The connection to the balancer broke: unknown whether a replica counted the batch; resend.
            }

            Interlocked.Increment(ref failedAttempts);
            await Task.Delay(100);
        }

        Assert.Fail($"a batch failed {MaxAttempts} times through the balancer\n{stack.Diagnostics()}");
    }
}
