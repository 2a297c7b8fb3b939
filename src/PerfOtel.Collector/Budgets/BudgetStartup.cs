namespace PerfOtel.Collector.Budgets;

/// <summary>
/// Creates the budget gauges when the host starts: the gauges exist from the first scrape, and invalid budgets stop
/// the start with their message.
/// </summary>
internal sealed class BudgetStartup(BudgetMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
