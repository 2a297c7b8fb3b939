namespace PerfOtel.Reports.Tests.Integration;

/// <summary>
/// A real Prometheus on a free loopback port serving backfilled history: the OpenMetrics input is turned into
/// blocks with <c>promtool tsdb create-blocks-from openmetrics</c>. Killed and deleted on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string folder;
    private BackgroundProcess? process;

    private PrometheusServer(string folder) => this.folder = folder;

    public string Url { get; private set; } = "";

    public string Log => process?.RecentOutput ?? "";

    /// <summary>
    /// <paramref name="write"/> writes the OpenMetrics input to the given file. With <paramref name="keepData"/> the
    /// blocks are written there and kept, and a folder that already holds them is served without a new backfill.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(Func<string, Task> write, string extraConfig = "", string? keepData = null)
    {
        var server = new PrometheusServer(Directory.CreateTempSubdirectory("perfotel-reports-prometheus-").FullName);
        try
        {
            var input = Path.Combine(server.folder, "history.om");
            var data = keepData ?? Path.Combine(server.folder, "data");
            var complete = Path.Combine(data, "backfill-complete");
            if (!File.Exists(complete))
            {
                await write(input);

                // One block for the whole history (the default of 2 h blocks re-reads the input once per block).
                var backfill = await ToolRun.RunAsync(
                    "promtool", ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=2000h", "--quiet", input, data], server.folder, TimeSpan.FromMinutes(30));
                if (backfill.ExitCode != 0)
                {
                    throw new InvalidOperationException($"promtool backfill failed ({backfill.ExitCode}):\n{backfill.Output}");
                }

                File.Delete(input);
                await File.WriteAllTextAsync(complete, "");
            }

            var config = Path.Combine(server.folder, "prometheus.yml");
            await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 15s\n" + extraConfig);

            var port = FreePort.Next();
            server.Url = $"http://127.0.0.1:{port}";
            server.process = BackgroundProcess.Start(
                "prometheus",
                "prometheus",
                [
                    $"--config.file={config}",
                    $"--storage.tsdb.path={data}",
                    // Without a long retention the backfilled blocks would be deleted as too old.
                    "--storage.tsdb.retention.time=100y",
                    $"--web.listen-address=127.0.0.1:{port}",
                ],
                workingDirectory: server.folder);
            await server.process.WaitForHttpOkAsync($"{server.Url}/-/ready", TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
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
