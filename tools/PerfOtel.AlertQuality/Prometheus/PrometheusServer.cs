using System.Collections.Concurrent;
using System.Diagnostics;

namespace PerfOtel.AlertQuality.Prometheus;

/// <summary>
/// A real Prometheus on a free 127.0.0.1 port over a data folder of backfilled blocks: no scrape, no rules, a retention
/// of 100 years (or the blocks would be deleted as too old), generous query limits (7-day ranges at every step).
/// Restarted to load blocks added to the folder.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string dataFolder;
    private readonly string configFile;
    private readonly ConcurrentQueue<string> log = new();
    private Process? process;

    private PrometheusServer(string dataFolder, string configFile)
    {
        this.dataFolder = dataFolder;
        this.configFile = configFile;
    }

    public Uri Url { get; private set; } = new("http://127.0.0.1:9090");

    public string RecentLog => string.Join('\n', log.TakeLast(40));

    public static async Task<PrometheusServer> StartAsync(string dataFolder, string workFolder, CancellationToken cancellationToken)
    {
        var config = Path.Combine(workFolder, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 15s\n", cancellationToken);
        var server = new PrometheusServer(dataFolder, config);
        await server.StartProcessAsync(cancellationToken);
        return server;
    }

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartProcessAsync(cancellationToken);
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var port = Tool.FreePort();
        Url = new Uri($"http://127.0.0.1:{port}");
        var psi = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(configFile)!,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + configFile,
            "--storage.tsdb.path=" + dataFolder,
            "--storage.tsdb.retention.time=100y",
            $"--web.listen-address=127.0.0.1:{port}",
            "--query.timeout=10m",
            "--query.max-samples=1000000000",
            "--log.level=warn",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        process = Process.Start(psi) ?? throw new InvalidOperationException("could not start prometheus");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{RecentLog}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri(Url, "/-/ready"), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"prometheus did not become ready:\n{RecentLog}");
    }

    private async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                // SIGTERM: Prometheus closes its TSDB cleanly (the lock file, the head).
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 200)
        {
            log.TryDequeue(out _);
        }
    }
}
