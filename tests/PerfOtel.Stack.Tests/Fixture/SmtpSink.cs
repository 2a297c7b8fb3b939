using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>A message received by the <see cref="SmtpSink"/>: envelope, the credentials it authenticated with, headers and raw content.</summary>
public sealed record ReceivedMail(
    string MailFrom,
    IReadOnlyList<string> RcptTo,
    string? AuthUser,
    string? AuthPassword,
    IReadOnlyDictionary<string, string> Headers,
    string Data,
    DateTimeOffset At)
{
    public string Subject => Headers.GetValueOrDefault("Subject", "");
}

/// <summary>
/// The smallest SMTP server Alertmanager's email notifier talks to, on 127.0.0.1: greeting, EHLO/HELO (advertising
/// AUTH PLAIN LOGIN so that the password file is really read and sent), AUTH, MAIL, RCPT, DATA with dot-unstuffing,
/// RSET, NOOP, QUIT. No TLS (the test stack sets <c>require_tls: false</c>; Go's PLAIN auth sends credentials
/// unencrypted only to a loopback host, which this is). Keeps every message; nothing leaves the machine.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public SmtpSink()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string SmartHost => $"127.0.0.1:{Port}";

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <summary>Waits until a received message satisfies the predicate; fails with the subjects that arrived otherwise.</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = Received.FirstOrDefault(match);
            if (hit is not null)
            {
                return hit;
            }

            await Task.Delay(250);
        }

        var seen = string.Join("\n", Received.Select(m => $"{m.At:O} {m.Subject}"));
        throw new TimeoutException($"no matching mail within {timeout}; received:\n{seen}");
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        try
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };

            string? from = null, authUser = null, authPassword = null;
            var to = new List<string>();
            await writer.WriteLineAsync("220 127.0.0.1 PerfOtel test SMTP sink ready");
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var arg = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-127.0.0.1 hello " + arg);
                        await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 127.0.0.1 hello " + arg);
                        break;
                    case "AUTH":
                        (authUser, authPassword) = await AuthenticateAsync(arg, reader, writer, ct);
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "MAIL":
                        from = Address(arg);
                        to.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(arg));
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = await ReadDataAsync(reader, ct);
                        Received.Enqueue(new ReceivedMail(from ?? "", [.. to], authUser, authPassword, ParseHeaders(data), data, DateTimeOffset.UtcNow));
                        await writer.WriteLineAsync("250 2.0.0 OK: queued");
                        break;
                    case "RSET":
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the sink is stopping: nothing to keep.
        }
    }

    /// <summary>AUTH PLAIN (initial response or after 334) and AUTH LOGIN; returns the user and password sent.</summary>
    private static async Task<(string? User, string? Password)> AuthenticateAsync(string arg, StreamReader reader, StreamWriter writer, CancellationToken ct)
    {
        var parts = arg.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 0 ? parts[0].ToUpperInvariant() : "";
        if (mechanism == "PLAIN")
        {
            var response = parts.Length > 1 ? parts[1] : null;
            if (response is null)
            {
                await writer.WriteLineAsync("334 ");
                response = await reader.ReadLineAsync(ct) ?? "";
            }

            // authzid NUL authcid NUL password
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0');
            return fields.Length == 3 ? (fields[1], fields[2]) : (null, null);
        }

        await writer.WriteLineAsync("334 " + Convert.ToBase64String("Username:"u8));
        var user = Encoding.UTF8.GetString(Convert.FromBase64String(await reader.ReadLineAsync(ct) ?? ""));
        await writer.WriteLineAsync("334 " + Convert.ToBase64String("Password:"u8));
        var password = Encoding.UTF8.GetString(Convert.FromBase64String(await reader.ReadLineAsync(ct) ?? ""));
        return (user, password);
    }

    private static async Task<string> ReadDataAsync(StreamReader reader, CancellationToken ct)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line && line != ".")
        {
            // RFC 5321 4.5.2: a leading dot was doubled by the client.
            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        return data.ToString();
    }

    /// <summary>The header block up to the first empty line, with folded lines unfolded; later duplicates ignored.</summary>
    private static Dictionary<string, string> ParseHeaders(string data)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in data.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon].Trim();
                headers.TryAdd(last, line[(colon + 1)..].Trim());
            }
        }

        return headers;
    }

    private static string Address(string arg)
    {
        var start = arg.IndexOf('<', StringComparison.Ordinal);
        var end = arg.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? arg[(start + 1)..end] : arg;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try { await loop; } catch (OperationCanceledException) { }
        listener.Dispose();
        stop.Dispose();
    }
}
