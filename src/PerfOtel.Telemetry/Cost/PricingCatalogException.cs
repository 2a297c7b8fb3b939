namespace PerfOtel.Telemetry.Cost;

/// <summary>A pricing catalog that cannot be used: unreadable, malformed or invalid. Names the file and every problem.</summary>
public sealed class PricingCatalogException : Exception
{
    public PricingCatalogException(string catalogSource, IReadOnlyList<string> problems, Exception? innerException = null)
        : base($"Pricing catalog '{catalogSource}' rejected: {string.Join("; ", problems)}", innerException)
    {
        CatalogSource = catalogSource;
        Problems = problems;
    }

    /// <summary>The file (or other source name) the catalog came from.</summary>
    public string CatalogSource { get; }

    /// <summary>What is wrong, one entry per problem, each naming the JSON field (<c>prices[3].output</c>).</summary>
    public IReadOnlyList<string> Problems { get; }
}
