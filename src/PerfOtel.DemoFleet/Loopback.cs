using System.Net;

namespace PerfOtel.DemoFleet;

/// <summary>Fake traffic stays on this machine unless the operator says otherwise (<c>--allow-non-loopback</c>).</summary>
public static class Loopback
{
    public static bool IsLoopbackUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Scheme is "http" or "https" && IsLoopbackHost(url.Host);
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
