namespace PerfOtel.Reports.Tests.Integration;

/// <summary>A real Prometheus serving <see cref="AgentHistory"/> (see <see cref="PrometheusServer"/>).</summary>
public sealed class BackfilledPrometheus : IAsyncLifetime
{
    private PrometheusServer? server;

    /// <summary>History ending an hour ago: in the past (blocks, not the head), well inside retention.</summary>
    internal AgentHistory History { get; } = AgentHistory.EndingAt(DateTimeOffset.UtcNow.AddHours(-1));

    public string Url => server?.Url ?? "";

    /// <summary>Prometheus' recent output, for failure messages.</summary>
    public string Log => server?.Log ?? "";

    public async ValueTask InitializeAsync() =>
        server = await PrometheusServer.StartAsync(path => File.WriteAllTextAsync(path, History.ToOpenMetrics()));

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
