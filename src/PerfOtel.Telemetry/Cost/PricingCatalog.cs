using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// A validated, immutable set of model prices with their effective dates. Lookups are by (provider, model) in a
/// frozen dictionary, then by time: the price in force at the given instant applies, so a price change (a new entry
/// with a later <c>effective_from</c>) never reprices earlier events.
/// </summary>
public sealed class PricingCatalog
{
    /// <summary>The <c>schema_version</c> this build reads.</summary>
    public const int SupportedSchemaVersion = 1;

    /// <summary>Largest accepted price, USD per million tokens: guards against a price typed per token or in cents.</summary>
    public const decimal MaxPriceUsdPerMillion = 10_000m;

    // Per model, its prices sorted by effective date (ascending).
    private readonly FrozenDictionary<ModelKey, ModelPrice[]> byModel;

    private PricingCatalog(string source, int schemaVersion, IReadOnlyList<ModelPrice> prices)
    {
        Source = source;
        SchemaVersion = schemaVersion;
        Prices = prices;
        byModel = prices
            .GroupBy(p => new ModelKey(p.Provider, p.Model), ModelKey.Comparer)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(p => p.EffectiveFrom).ToArray(), ModelKey.Comparer);
    }

    /// <summary>Where the catalog came from (a file path).</summary>
    public string Source { get; }

    public int SchemaVersion { get; }

    /// <summary>Every entry, in file order.</summary>
    public IReadOnlyList<ModelPrice> Prices { get; }

    /// <summary>Number of distinct (provider, model) pairs.</summary>
    public int ModelCount => byModel.Count;

    /// <summary>The price of a model in force at <paramref name="at"/>; false when the catalog has none (yet).</summary>
    public bool TryGetPrice(string provider, string model, DateTimeOffset at, [NotNullWhen(true)] out ModelPrice? price)
    {
        if (byModel.TryGetValue(new ModelKey(provider, model), out var history))
        {
            for (var i = history.Length - 1; i >= 0; i--)
            {
                if (history[i].EffectiveFromUtc <= at)
                {
                    price = history[i];
                    return true;
                }
            }
        }

        price = null;
        return false;
    }

    /// <summary>Reads and validates a catalog file.</summary>
    /// <exception cref="PricingCatalogException">The file is missing, unreadable, malformed or invalid.</exception>
    public static PricingCatalog Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PricingCatalogException(path, [e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message], e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates a catalog.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="source">Name of the source, for messages (the file path).</param>
    /// <exception cref="PricingCatalogException">The JSON is malformed or the catalog invalid; lists every problem.</exception>
    public static PricingCatalog Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        PricingCatalogDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(utf8Json, PricingCatalogJsonContext.Default.PricingCatalogDocument);
        }
        catch (JsonException e)
        {
            throw new PricingCatalogException(source, ["malformed JSON: " + e.Message], e);
        }

        if (doc is null)
        {
            throw new PricingCatalogException(source, ["the file holds JSON null, expected an object"]);
        }

        var problems = new List<string>();
        var prices = Validate(doc, problems);
        if (problems.Count > 0)
        {
            throw new PricingCatalogException(source, problems);
        }

        return new PricingCatalog(source, doc.SchemaVersion!.Value, prices);
    }

    private static List<ModelPrice> Validate(PricingCatalogDocument doc, List<string> problems)
    {
        if (doc.SchemaVersion is null)
        {
            problems.Add("schema_version: required");
        }
        else if (doc.SchemaVersion != SupportedSchemaVersion)
        {
            problems.Add($"schema_version: {doc.SchemaVersion} is not supported (this build reads {SupportedSchemaVersion})");
        }

        var prices = new List<ModelPrice>();
        if (doc.Prices is null || doc.Prices.Count == 0)
        {
            problems.Add("prices: at least one entry is required");
            return prices;
        }

        var seen = new HashSet<(ModelKey, DateOnly)>(new DatedKeyComparer());
        for (var i = 0; i < doc.Prices.Count; i++)
        {
            var e = doc.Prices[i];
            var at = $"prices[{i}]";
            if (e is null)
            {
                problems.Add($"{at}: null entry");
                continue;
            }

            var before = problems.Count;
            RequireName(e.Provider, $"{at}.provider", problems);
            RequireName(e.Model, $"{at}.model", problems);
            var from = ParseDate(e.EffectiveFrom, $"{at}.effective_from", problems);
            var input = RequirePrice(e.Input, $"{at}.input", problems);
            var cached = RequirePrice(e.CachedInput, $"{at}.cached_input", problems);
            var output = RequirePrice(e.Output, $"{at}.output", problems);
            if (problems.Count > before)
            {
                continue;
            }

            if (!seen.Add((new ModelKey(e.Provider!, e.Model!), from)))
            {
                problems.Add($"{at}: a second price for {e.Provider}/{e.Model} effective {from:yyyy-MM-dd}; a price change needs a later effective_from");
                continue;
            }

            prices.Add(new ModelPrice(e.Provider!, e.Model!, from, input, cached, output));
        }

        return prices;
    }

    private static void RequireName(string? value, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{field}: required");
        }
        else if (value.Trim().Length != value.Length)
        {
            problems.Add($"{field}: '{value}' has leading or trailing spaces");
        }
    }

    private static DateOnly ParseDate(string? value, string field, List<string> problems)
    {
        if (value is null)
        {
            problems.Add($"{field}: required");
            return default;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problems.Add($"{field}: '{value}' is not a date (yyyy-MM-dd, UTC)");
        }

        return date;
    }

    private static decimal RequirePrice(decimal? value, string field, List<string> problems)
    {
        if (value is null)
        {
            problems.Add($"{field}: required (USD per million tokens)");
            return 0;
        }

        if (value < 0 || value > MaxPriceUsdPerMillion)
        {
            problems.Add($"{field}: {value.Value.ToString(CultureInfo.InvariantCulture)} is outside 0..{MaxPriceUsdPerMillion} USD per million tokens");
        }

        return value.Value;
    }

    private sealed class DatedKeyComparer : IEqualityComparer<(ModelKey Key, DateOnly From)>
    {
        public bool Equals((ModelKey Key, DateOnly From) x, (ModelKey Key, DateOnly From) y) =>
            x.From == y.From && ModelKey.Comparer.Equals(x.Key, y.Key);

        public int GetHashCode((ModelKey Key, DateOnly From) obj) => HashCode.Combine(ModelKey.Comparer.GetHashCode(obj.Key), obj.From);
    }
}
