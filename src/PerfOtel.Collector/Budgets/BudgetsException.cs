namespace PerfOtel.Collector.Budgets;

/// <summary>Budgets that cannot be used. The message names the source (configuration section or file) and every problem.</summary>
public sealed class BudgetsException : Exception
{
    public BudgetsException(string budgetsSource, IReadOnlyList<string> problems, Exception? innerException = null)
        : base($"Budgets from {budgetsSource} rejected: {string.Join("; ", problems)}", innerException)
    {
        BudgetsSource = budgetsSource;
        Problems = problems;
    }

    /// <summary>The configuration section or file the budgets came from.</summary>
    public string BudgetsSource { get; }

    /// <summary>What is wrong, one entry per problem, each naming the setting (<c>PerfOtel:Budgets:1:Period</c>).</summary>
    public IReadOnlyList<string> Problems { get; }
}
