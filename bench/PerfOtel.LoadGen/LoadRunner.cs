using System.Diagnostics;
using System.Net.Http.Headers;

namespace PerfOtel.LoadGen;

/// <summary>
/// Posts pre-built batches with a fixed number of requests in flight (closed loop: each worker sends its next batch
/// when the previous one was answered) until a deadline or a batch count, and records every batch latency.
/// </summary>
public sealed class LoadRunner(HttpClient client, Uri target, string apiKey, byte[][] bodies)
{
    /// <summary>Stop early after this many failed batches: a wrong key or a rate limit is not a measurement.</summary>
    private const int MaxFailures = 10;

    public async Task<LoadResult> RunAsync(int concurrency, TimeSpan duration, long maxBatches, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var auth = new AuthenticationHeaderValue("Bearer", apiKey);
        var perWorker = new List<long>[concurrency];
        long next = -1;
        long failures = 0;
        long bytes = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var latencies = perWorker[w] = new List<long>(4096);
            workers[w] = Task.Run(() => WorkAsync(latencies), CancellationToken.None);
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new LoadResult(new Latencies(perWorker.SelectMany(l => l)), failures, firstError, bytes, elapsed);

        async Task WorkAsync(List<long> latencies)
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= maxBatches || Stopwatch.GetTimestamp() >= deadline)
                {
                    return;
                }

                var body = bodies[n % bodies.Length];
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = auth;
                string? error = null;
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, stop.Token);
                    var t1 = Stopwatch.GetTimestamp();
                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Add(t1 - t0);
                        Interlocked.Add(ref bytes, body.Length);
                    }
                    else
                    {
                        var text = await response.Content.ReadAsStringAsync(stop.Token);
                        error = $"HTTP {(int)response.StatusCode}: {(text.Length > 300 ? text[..300] : text)}";
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = e.Message;
                }

                if (error is not null)
                {
                    Interlocked.CompareExchange(ref firstError, error, null);
                    if (Interlocked.Increment(ref failures) >= MaxFailures)
                    {
                        await stop.CancelAsync();
                    }
                }
            }
        }
    }
}

/// <summary>What one load phase measured.</summary>
public sealed record LoadResult(Latencies Latencies, long Failures, string? FirstError, long RequestBytes, TimeSpan Elapsed)
{
    public long Batches => Latencies.Count;
}
