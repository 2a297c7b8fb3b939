namespace PerfOtel.Collector.Budgets;

/// <summary>The calendar period a budget limit applies to, in UTC.</summary>
public enum BudgetPeriod
{
    Daily,
    Monthly,
}

/// <summary>Bounds of the current period.</summary>
public static class BudgetPeriods
{
    /// <summary>Start (inclusive) and end (exclusive) of the UTC day or month that contains <paramref name="now"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(this BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        switch (period)
        {
            case BudgetPeriod.Daily:
                var day = new DateTimeOffset(utc.Date, TimeSpan.Zero);
                return (day, day.AddDays(1));
            case BudgetPeriod.Monthly:
                var month = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return (month, month.AddMonths(1));
            default:
                throw new ArgumentOutOfRangeException(nameof(period), period, null);
        }
    }

    public static string ToAttribute(this BudgetPeriod period) => period == BudgetPeriod.Daily ? "daily" : "monthly";

    public static string ToAttribute(this BudgetScope scope) => scope == BudgetScope.Team ? "team" : "agent";
}
