namespace PerfOtel.Collector.Budgets;

/// <summary>Source-generated log messages of budgets (event ids 300-399).</summary>
internal static partial class BudgetLog
{
    [LoggerMessage(300, LogLevel.Information, "Budgets from {Source} loaded: {Count} budgets")]
    public static partial void Loaded(ILogger logger, string source, int count);

    [LoggerMessage(301, LogLevel.Error, "Budgets from {Source} rejected, the previous {Count} budgets stay in force: {Problems}")]
    public static partial void Rejected(ILogger logger, string source, int count, string problems);
}
