using Microsoft.Extensions.Logging;

namespace PerfOtel.Telemetry.Cost;

/// <summary>Source-generated log messages of pricing (event ids 200-299).</summary>
internal static partial class PricingLog
{
    [LoggerMessage(200, LogLevel.Information, "Pricing catalog {Path} loaded: {Prices} prices for {Models} models (schema_version {SchemaVersion})")]
    public static partial void CatalogLoaded(ILogger logger, string path, int prices, int models, int schemaVersion);

    [LoggerMessage(201, LogLevel.Error, "Pricing catalog {Path} rejected, the previous catalog ({Prices} prices, loaded {LoadedAt:o}) stays in force: {Problems}")]
    public static partial void CatalogRejected(ILogger logger, string path, int prices, DateTimeOffset loadedAt, string problems);

    [LoggerMessage(202, LogLevel.Warning, "No price for provider {Provider} model {Model} at {At:o} in pricing catalog {Catalog}: its tokens are counted in agent.llm.unpriced_tokens and not costed. Add an entry to the catalog (logged once per model and catalog version)")]
    public static partial void Unpriced(ILogger logger, string provider, string model, DateTimeOffset at, string catalog);
}
