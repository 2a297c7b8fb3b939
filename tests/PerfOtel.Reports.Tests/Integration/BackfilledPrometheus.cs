namespace PerfOtel.Reports.Tests.Integration;

/// <summary>
/// A real Prometheus serving <see cref="AgentHistory"/>: the history is written as OpenMetrics, backfilled into
/// blocks with <c>promtool tsdb create-blocks-from openmetrics</c>, and Prometheus started on those blocks on a
/// free loopback port. The process is killed and the folder deleted on dispose, also when start-up failed.
/// </summary>
public sealed class BackfilledPrometheus : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("perfotel-reports-prometheus-").FullName;
    private BackgroundProcess? prometheus;

    /// <summary>History ending an hour ago: in the past (blocks, not the head), well inside retention.</summary>
    internal AgentHistory History { get; } = AgentHistory.EndingAt(DateTimeOffset.UtcNow.AddHours(-1));

    public string Url { get; private set; } = "";

    /// <summary>Prometheus' recent output, for failure messages.</summary>
    public string Log => prometheus?.RecentOutput ?? "";

    public async ValueTask InitializeAsync()
    {
        try
        {
            var input = Path.Combine(folder, "history.om");
            var data = Path.Combine(folder, "data");
            await File.WriteAllTextAsync(input, History.ToOpenMetrics());

            var backfill = await ToolRun.RunAsync("promtool", ["tsdb", "create-blocks-from", "openmetrics", input, data], folder);
            if (backfill.ExitCode != 0)
            {
                throw new InvalidOperationException($"promtool backfill failed ({backfill.ExitCode}):\n{backfill.Output}");
            }

            var config = Path.Combine(folder, "prometheus.yml");
            await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 15s\n");

            var port = FreePort.Next();
            Url = $"http://127.0.0.1:{port}";
            prometheus = BackgroundProcess.Start(
                "prometheus",
                "prometheus",
                [
                    $"--config.file={config}",
                    $"--storage.tsdb.path={data}",
                    // Without a long retention the backfilled blocks would be deleted as too old.
                    "--storage.tsdb.retention.time=100y",
                    $"--web.listen-address=127.0.0.1:{port}",
                ],
                workingDirectory: folder);
            await prometheus.WaitForHttpOkAsync($"{Url}/-/ready", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (prometheus is not null)
        {
            await prometheus.DisposeAsync();
            prometheus = null;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
