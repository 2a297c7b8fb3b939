using PerfOtel.Collector.Budgets;

namespace PerfOtel.Collector.Tests.Budgets;

public sealed class BudgetConfigTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static (string, string)[] Entry(int i, string scope, string name, string period, string limit) =>
    [
        ($"PerfOtel:Budgets:{i}:Scope", scope),
        ($"PerfOtel:Budgets:{i}:Name", name),
        ($"PerfOtel:Budgets:{i}:Period", period),
        ($"PerfOtel:Budgets:{i}:LimitUsd", limit),
    ];

    private static BudgetsException StartFails(params (string, string)[] settings) =>
        Assert.Throws<BudgetsException>(() => new BudgetHarness(BudgetHarness.Inline(settings), Now));

    [Theory]
    [InlineData("tam", "search", "daily", "10", "PerfOtel:Budgets:0:Scope: 'tam' is not one of team, agent")]
    [InlineData("team", "search", "weekly", "10", "PerfOtel:Budgets:0:Period: 'weekly' is not one of daily, monthly")]
    [InlineData("team", "search", "daily", "0", "PerfOtel:Budgets:0:LimitUsd: 0 must be a positive amount of USD")]
    [InlineData("team", "search", "daily", "-5", "PerfOtel:Budgets:0:LimitUsd: -5 must be a positive amount of USD")]
    [InlineData("team", "search", "daily", "ten", "PerfOtel:Budgets:0:LimitUsd: 'ten' is not a number")]
    [InlineData("team", " search", "daily", "10", "PerfOtel:Budgets:0:Name: ' search' must have no leading or trailing spaces")]
    [InlineData("team", "", "daily", "10", "PerfOtel:Budgets:0:Name: required")]
    [InlineData("0", "search", "daily", "10", "PerfOtel:Budgets:0:Scope: '0' is not one of team, agent")]
    public void Invalid_budget_stops_the_start_naming_the_setting(string scope, string name, string period, string limit, string expected)
    {
        var e = StartFails(Entry(0, scope, name, period, limit));

        Assert.StartsWith("Budgets from configuration section PerfOtel:Budgets rejected: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = StartFails([.. Entry(0, "team", "a", "daily", "10"), .. Entry(1, "group", "b", "yearly", "10")]);

        Assert.Equal(
            ["PerfOtel:Budgets:1:Scope: 'group' is not one of team, agent", "PerfOtel:Budgets:1:Period: 'yearly' is not one of daily, monthly"],
            e.Problems);
    }

    [Fact]
    public void Missing_field_is_named()
    {
        var e = StartFails(("PerfOtel:Budgets:0:Scope", "team"), ("PerfOtel:Budgets:0:Name", "search"), ("PerfOtel:Budgets:0:Period", "daily"));

        Assert.Equal(["PerfOtel:Budgets:0:LimitUsd: required (USD)"], e.Problems);
    }

    [Fact]
    public void Misspelled_setting_is_rejected_not_ignored()
    {
        var e = StartFails([.. Entry(0, "team", "search", "daily", "10"), ("PerfOtel:Budgets:0:Limit", "20"), ("PerfOtel:Budgets:Fiel", "x")]);

        Assert.Contains("PerfOtel:Budgets:0:Limit: unknown setting (expected Scope, Name, Period, LimitUsd)", e.Problems);
        Assert.Contains("PerfOtel:Budgets:Fiel: unknown setting (expected list entries PerfOtel:Budgets:0, PerfOtel:Budgets:1, ... or PerfOtel:Budgets:File)", e.Problems);
    }

    [Fact]
    public void Two_budgets_for_the_same_name_and_period_are_rejected()
    {
        var e = StartFails([.. Entry(0, "team", "search", "daily", "10"), .. Entry(1, "Team", "search", "Daily", "20")]);

        Assert.Equal(["2 budgets for team 'search' daily; keep one"], e.Problems);
    }

    [Fact]
    public void The_same_name_may_have_a_daily_and_a_monthly_budget_and_be_team_and_agent()
    {
        using var h = new BudgetHarness(BudgetHarness.Inline(
            [.. Entry(0, "team", "search", "daily", "10"), .. Entry(1, "team", "search", "monthly", "200"), .. Entry(2, "agent", "search", "daily", "5")]), Now);

        Assert.Equal(3, h.Source.Current.Count);
    }

    [Fact]
    public void Inline_budgets_and_a_file_are_exclusive()
    {
        var e = StartFails([.. Entry(0, "team", "search", "daily", "10"), ("PerfOtel:Budgets:File", "/tmp/budgets.json")]);

        Assert.Equal(["PerfOtel:Budgets:0: inline budgets and PerfOtel:Budgets:File are exclusive; keep one"], e.Problems);
    }

    [Fact]
    public void Missing_budgets_file_stops_the_start_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "perfotel-no-such-dir", "budgets.json");

        var e = StartFails(("PerfOtel:Budgets:File", path));

        Assert.Equal($"Budgets from file {path} rejected: file not found", e.Message);
    }

    [Theory]
    [InlineData("""{"budgets": [{"scope": "team", "name": "search", "period": "daily"}]}""", "budgets[0].limit_usd: required (USD)")]
    [InlineData("""{"budgets": [{"scope": "team", "name": "search", "period": "daily", "limit": 5}]}""", "'limit' could not be mapped")]
    [InlineData("""{"budgets": [{"scope": "team", "name": "search", "period": "daily", "limit_usd": "5"}]}""", "malformed JSON")]
    [InlineData("""{"budget": []}""", "'budget' could not be mapped")]
    [InlineData("""{}""", "budgets: required")]
    [InlineData("""{"budgets": [""", "malformed JSON")]
    public void Invalid_budgets_file_is_rejected_naming_file_and_field(string json, string expected)
    {
        using var dir = new TempDir();
        var path = dir.Replace("budgets.json", json);

        var e = Assert.Throws<BudgetsException>(() => BudgetParser.FromFile(System.Text.Encoding.UTF8.GetBytes(json), path));

        Assert.StartsWith($"Budgets from file {path} rejected: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
