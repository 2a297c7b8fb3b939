using System.Net;

namespace PerfOtel.Reports.Tests.Support;

/// <summary>An HTTP server on a free 127.0.0.1 port that hands every request to a handler until disposed.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle)
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        listener.Prefixes.Add(BaseUrl + "/");
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

                await handle(context);
                context.Response.Close();
            }
        });
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
