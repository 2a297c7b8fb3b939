using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace PerfOtel.Collector.Tests.Budgets;

public sealed class BudgetReloadTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir dir = new();

    // JSON written with ' for readability.
    private static string File(double limit, string period = "monthly") =>
        ("{'budgets': [{'scope': 'team', 'name': 'search', 'period': '" + period + "', 'limit_usd': "
         + limit.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}]}").Replace('\'', '"');

    private static string Settings(string limit, string period = "monthly") =>
        ("{'PerfOtel': {'Budgets': [{'Scope': 'team', 'Name': 'search', 'Period': '" + period + "', 'LimitUsd': " + limit + "}]}}").Replace('\'', '"');

    private static double? Limit(BudgetHarness h) => h.Observe(h.Limits).TryGetValue("team/search/monthly", out var v) ? v : null;

    private static string? Error(BudgetHarness h) => h.Logs.GetSnapshot().LastOrDefault(r => r.Level == LogLevel.Error)?.Message;

    [Fact]
    public async Task Budgets_file_change_applies_without_restart()
    {
        var path = dir.Replace("budgets.json", File(100));
        using var h = new BudgetHarness(BudgetHarness.Inline(("PerfOtel:Budgets:File", path)), Now);
        Assert.Equal(100, Limit(h));

        dir.Replace("budgets.json", File(250));

        Assert.True(await BudgetHarness.EventuallyAsync(() => Limit(h) == 250));
    }

    [Fact]
    public async Task Bad_budgets_file_is_rejected_with_file_and_problem_and_the_last_good_stays()
    {
        var path = dir.Replace("budgets.json", File(100));
        using var h = new BudgetHarness(BudgetHarness.Inline(("PerfOtel:Budgets:File", path)), Now);

        dir.Replace("budgets.json", File(100, period: "weekly"));

        Assert.True(await BudgetHarness.EventuallyAsync(() => Error(h) is not null));
        Assert.Equal(
            $"Budgets from file {path} rejected, the previous 1 budgets stay in force: budgets[0].period: 'weekly' is not one of daily, monthly",
            Error(h));
        Assert.Equal(100, Limit(h));

        dir.Replace("budgets.json", File(300));
        Assert.True(await BudgetHarness.EventuallyAsync(() => Limit(h) == 300));
    }

    [Fact]
    public async Task Truncated_budgets_file_keeps_the_last_good()
    {
        var path = dir.Replace("budgets.json", File(100));
        using var h = new BudgetHarness(BudgetHarness.Inline(("PerfOtel:Budgets:File", path)), Now);

        dir.Replace("budgets.json", File(100)[..20]);

        Assert.True(await BudgetHarness.EventuallyAsync(() => Error(h)?.Contains("malformed JSON", StringComparison.Ordinal) == true));
        Assert.Equal(100, Limit(h));
    }

    [Fact]
    public async Task Inline_budgets_reload_with_the_configuration_file()
    {
        var settings = dir.Replace("appsettings.json", Settings("100"));
        var configuration = new ConfigurationBuilder().AddJsonFile(settings, optional: false, reloadOnChange: true).Build();
        using var h = new BudgetHarness(configuration, Now);
        Assert.Equal(100, Limit(h));

        dir.Replace("appsettings.json", Settings("150"));
        Assert.True(await BudgetHarness.EventuallyAsync(() => Limit(h) == 150));

        dir.Replace("appsettings.json", Settings("-1"));
        Assert.True(await BudgetHarness.EventuallyAsync(() => Error(h) is not null));
        Assert.Equal(
            "Budgets from configuration section PerfOtel:Budgets rejected, the previous 1 budgets stay in force: PerfOtel:Budgets:0:LimitUsd: -1 must be a positive amount of USD",
            Error(h));
        Assert.Equal(150, Limit(h));
    }

    public void Dispose() => dir.Dispose();
}
