using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PerfOtel.DemoFleet.Ingest;

/// <summary>What became of one batch.</summary>
public enum SendOutcome
{
    Accepted,

    /// <summary>Given up after the retries (collector unreachable, 5xx or still rate-limited): dropped.</summary>
    Dropped,

    /// <summary>401: the key is wrong; sending more is pointless.</summary>
    Unauthorized,

    /// <summary>Another 4xx: the batch itself is wrong (a bug here); dropped.</summary>
    Rejected,
}

/// <summary>
/// Posts batches to <c>POST /v1/events</c> with the API key. Bounded: at most <see cref="MaxAttempts"/> attempts per
/// batch, waits capped at <see cref="MaxWait"/>, and a rate-limited batch honours <c>Retry-After</c>.
/// </summary>
public sealed class IngestClient : IDisposable
{
    public const int MaxAttempts = 3;
    public const int MaxEventsPerBatch = 1000;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly HttpClient http;

    public IngestClient(Uri collector, string apiKey, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = collector;
        http.Timeout = TimeSpan.FromSeconds(15);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PerfOtel-DemoFleet", "1"));
    }

    /// <summary>The last error text (status and problem body, or the exception message).</summary>
    public string? LastError { get; private set; }

    public async Task<SendOutcome> SendAsync(IReadOnlyList<DemoEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DemoBatch(events), DemoJsonContext.Default.DemoBatch);
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri("v1/events", UriKind.Relative), content, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return SendOutcome.Accepted;
                }

                LastError = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return SendOutcome.Unauthorized;
                }

                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    return SendOutcome.Rejected;
                }

                wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt);
            }
            catch (HttpRequestException e)
            {
                LastError = e.Message;
                wait = TimeSpan.FromSeconds(attempt);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                LastError = "timed out: " + e.Message;
                wait = TimeSpan.FromSeconds(attempt);
            }

            if (attempt >= MaxAttempts)
            {
                return SendOutcome.Dropped;
            }

            await Task.Delay(wait < MaxWait ? wait : MaxWait, cancellationToken);
        }
    }

    public void Dispose() => http.Dispose();
}
