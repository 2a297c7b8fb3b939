using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>A request received by the <see cref="WebhookListener"/>.</summary>
public sealed record ReceivedRequest(string Path, string? Authorization, JsonElement Body, DateTimeOffset At);

/// <summary>
/// A local HTTP listener on 127.0.0.1 standing in for webhook and Slack endpoints: it keeps every JSON body it
/// receives, by path, and answers 200.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public WebhookListener()
    {
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Waits until a request on the path satisfies the predicate; fails with what arrived otherwise.</summary>
    public async Task<ReceivedRequest> WaitForAsync(string path, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = Received.FirstOrDefault(r => r.Path == path && match(r.Body));
            if (hit is not null)
            {
                return hit;
            }

            await Task.Delay(250);
        }

        var seen = string.Join("\n", Received.Select(r => r.Path + " " + r.Body.GetRawText()));
        throw new TimeoutException($"no matching request on {path} within {timeout}; received:\n{seen}");
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await listener.GetContextAsync().WaitAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                using var doc = await JsonDocument.ParseAsync(ctx.Request.InputStream);
                Received.Enqueue(new ReceivedRequest(ctx.Request.Url!.AbsolutePath, ctx.Request.Headers["Authorization"], doc.RootElement.Clone(), DateTimeOffset.UtcNow));
                ctx.Response.StatusCode = 200;
            }
            catch (JsonException)
            {
                ctx.Response.StatusCode = 400;
            }

            ctx.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Close();
        try { await loop; } catch (OperationCanceledException) { }
        stop.Dispose();
    }
}
