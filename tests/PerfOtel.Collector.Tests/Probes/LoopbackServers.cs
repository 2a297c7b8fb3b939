using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PerfOtel.Collector.Tests.Probes;

/// <summary>
/// A tiny Kestrel app on 127.0.0.1: <c>/status/{code}</c> answers that code, <c>/redirect</c> a 302 to a 200,
/// <c>/switch/{key}</c> the code last set with <see cref="Set"/> (200 until then).
/// </summary>
public sealed class StatusServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> switches = new();
    private WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public void Set(string key, int status) => switches[key] = status;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/redirect", () => Results.Redirect("/status/200"));
        app.MapGet("/switch/{key}", (string key) => Results.StatusCode(switches.GetValueOrDefault(key, 200)));
        await app.StartAsync();
        BaseAddress = new Uri(app.Urls.Single());
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}

/// <summary>
/// A TCP listener on 127.0.0.1 and a free port. It accepts every connection; with <c>hang</c> it then holds the
/// connection open without reading or answering (a component that accepts but never answers), else it closes it.
/// </summary>
public sealed class TcpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> held = [];
    private readonly CancellationTokenSource stop = new();

    public TcpServer(bool hang = false)
    {
        listener.Start();
        _ = AcceptAsync(hang);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A loopback port nobody listens on: connecting is refused.</summary>
    public static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task AcceptAsync(bool hang)
    {
        try
        {
            while (true)
            {
                var s = await listener.AcceptSocketAsync(stop.Token);
                if (hang)
                {
                    held.Add(s);
                }
                else
                {
                    s.Dispose();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        foreach (var s in held)
        {
            s.Dispose();
        }

        stop.Dispose();
    }
}
