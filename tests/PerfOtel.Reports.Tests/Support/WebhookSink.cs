using System.Net;

namespace PerfOtel.Reports.Tests.Support;

/// <summary>An HTTP endpoint on 127.0.0.1 that records the bodies posted to it and answers with a given status.</summary>
internal sealed class WebhookSink : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public WebhookSink(HttpStatusCode status = HttpStatusCode.OK)
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/hooks/T000/B000/secret-token";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                Requests.Add((context.Request.HttpMethod, context.Request.ContentType ?? "", await reader.ReadToEndAsync()));
                context.Response.StatusCode = (int)status;
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public System.Collections.Concurrent.ConcurrentBag<(string Method, string ContentType, string Body)> Requests { get; } = [];

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
