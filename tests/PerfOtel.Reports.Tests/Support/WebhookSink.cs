using System.Net;

namespace PerfOtel.Reports.Tests.Support;

/// <summary>An HTTP endpoint on 127.0.0.1 that records the bodies posted to it and answers with a given status.</summary>
internal sealed class WebhookSink : IDisposable
{
    private readonly LoopbackHttpServer server;

    public WebhookSink(HttpStatusCode status = HttpStatusCode.OK)
    {
        server = new LoopbackHttpServer(async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream);
            Requests.Add((context.Request.HttpMethod, context.Request.ContentType ?? "", await reader.ReadToEndAsync()));
            context.Response.StatusCode = (int)status;
        });
        Url = server.BaseUrl + "/hooks/T000/B000/secret-token";
    }

    public string Url { get; }

    public System.Collections.Concurrent.ConcurrentBag<(string Method, string ContentType, string Body)> Requests { get; } = [];

    public void Dispose() => server.Dispose();
}
