using System.Net.Sockets;

namespace PerfOtel.Collector.Probes;

/// <summary>Up when a TCP connection to host:port is accepted; the connection is closed right away.</summary>
public sealed class TcpProbe(string name, double weight, string host, int port)
    : ComponentProbe(name, ProbeKinds.Tcp, weight)
{
    public string Host { get; } = host;

    public int Port { get; } = port;

    protected override async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(Host, Port, cancellationToken);
            return null;
        }
        catch (SocketException e)
        {
            return $"{e.SocketErrorCode} ({Host}:{Port})";
        }
    }
}
