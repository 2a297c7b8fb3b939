using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>A real Prometheus serving <see cref="FleetHistory"/>, ending an hour ago; shared by the "fleet" collection.</summary>
public sealed class FleetPrometheus : IAsyncLifetime
{
    private readonly SemaphoreSlim once = new(1);
    private PrometheusServer? server;
    private (ReportData Data, ReportModel Model)? report;

    internal FleetHistory History { get; } = FleetHistory.EndingAt(DateTimeOffset.UtcNow.AddHours(-1));

    public string Url => server?.Url ?? "";

    public string Log => server?.Log ?? "";

    public async ValueTask InitializeAsync() => server = await PrometheusServer.StartAsync(History.WriteAsync);

    /// <summary>The report of the period (ReportFrom, ReportTo], read once and shared by the tests.</summary>
    internal async Task<(ReportData Data, ReportModel Model)> ReportAsync()
    {
        await once.WaitAsync();
        try
        {
            if (report is null)
            {
                using var http = new HttpClient();
                var range = ReportRange.Create(History.ReportFrom, History.ReportTo);
                var data = await ReportReader.ReadAsync(new PrometheusClient(http, new Uri(Url)), range, CancellationToken.None);
                report = (data, ReportAnalyzer.Analyze(ReportKind.Range, range, data, Url, DateTimeOffset.UtcNow));
            }

            return report.Value;
        }
        finally
        {
            once.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        once.Dispose();
    }
}

[CollectionDefinition("fleet")]
public sealed class FleetCollection : ICollectionFixture<FleetPrometheus>;
