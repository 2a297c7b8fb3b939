using System.Net;
using System.Net.Sockets;

namespace PerfOtel.LoadGen;

/// <summary>
/// The load generator only ever talks to this machine: URLs must name a loopback host, and every connection is
/// checked again after name resolution (a hosts-file entry cannot point <c>localhost</c> elsewhere).
/// </summary>
public static class Loopback
{
    public static bool IsLoopbackUrl(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && (url.IsLoopback || (IPAddress.TryParse(url.IdnHost, out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>An HTTP client whose connections can reach loopback addresses only.</summary>
    public static HttpClient CreateClient(int maxConnections, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectCallback = ConnectAsync,
        };
        return new HttpClient(handler) { Timeout = timeout };
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var target = Array.Find(addresses, IPAddress.IsLoopback)
            ?? throw new HttpRequestException($"refusing to connect to {context.DnsEndPoint.Host}: not a loopback address");
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
