using System.Text;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Telemetry.Tests.Cost;

public sealed class PricingCatalogTests
{
    private static readonly DateTimeOffset Jan2026 = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    private static PricingCatalog Parse(string json) => PricingCatalog.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    [Fact]
    public void Shipped_catalog_is_valid_and_prices_common_models_of_each_provider()
    {
        var catalog = PricingCatalog.Load(Catalogs.Shipped());

        Assert.Equal(PricingCatalog.SupportedSchemaVersion, catalog.SchemaVersion);
        foreach (var (provider, model) in new[] { ("openai", "gpt-4o"), ("anthropic", "claude-sonnet-4"), ("gcp.gemini", "gemini-2.5-pro") })
        {
            Assert.True(catalog.TryGetPrice(provider, model, Jan2026, out _), $"{provider}/{model}");
        }
    }

    [Fact]
    public void Price_in_force_is_the_latest_effective_on_or_before_the_time()
    {
        var catalog = Parse(Catalogs.Simple);

        Assert.False(catalog.TryGetPrice("openai", "gpt-4o", new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero), out _));
        Assert.True(catalog.TryGetPrice("openai", "gpt-4o", new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.Zero), out var before));
        Assert.Equal(2.50m, before.InputUsdPerMillion);
        Assert.True(catalog.TryGetPrice("openai", "gpt-4o", new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), out var after));
        Assert.Equal(2.00m, after.InputUsdPerMillion);
        // Effective dates are UTC days: 1 July 01:00 in UTC+2 is still 30 June in UTC.
        Assert.True(catalog.TryGetPrice("openai", "gpt-4o", new DateTimeOffset(2025, 7, 1, 1, 0, 0, TimeSpan.FromHours(2)), out var tz));
        Assert.Equal(2.50m, tz.InputUsdPerMillion);
    }

    [Fact]
    public void Entry_order_in_the_file_does_not_matter()
    {
        var catalog = Parse("""
            {"schema_version": 1, "prices": [
              {"provider": "openai", "model": "m", "effective_from": "2025-07-01", "input": 2, "cached_input": 1, "output": 8},
              {"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": 3, "cached_input": 1, "output": 9}
            ]}
            """);

        Assert.True(catalog.TryGetPrice("openai", "m", new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), out var p));
        Assert.Equal(3m, p.InputUsdPerMillion);
    }

    [Fact]
    public void Lookup_ignores_case_of_provider_and_model()
    {
        var catalog = Parse(Catalogs.Simple);

        Assert.True(catalog.TryGetPrice("OpenAI", "GPT-4o", Jan2026, out _));
        Assert.False(catalog.TryGetPrice("openai", "gpt-4o-mini", Jan2026, out _));
    }

    [Theory]
    [InlineData("""{"prices": [{"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": 1, "cached_input": 1, "output": 1}]}""", "schema_version: required")]
    [InlineData("""{"schema_version": 2, "prices": [{"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": 1, "cached_input": 1, "output": 1}]}""", "schema_version: 2 is not supported")]
    [InlineData("""{"schema_version": 1, "prices": []}""", "prices: at least one entry is required")]
    [InlineData("""{"schema_version": 1, "prices": [{"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": 1, "cached_input": 1}]}""", "prices[0].output: required")]
    [InlineData("""{"schema_version": 1, "prices": [{"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": -1, "cached_input": 1, "output": 1}]}""", "prices[0].input: -1 is outside")]
    [InlineData("""{"schema_version": 1, "prices": [{"provider": "", "model": "m", "effective_from": "2025-01-01", "input": 1, "cached_input": 1, "output": 1}]}""", "prices[0].provider: required")]
    [InlineData("""{"schema_version": 1, "prices": [{"provider": "openai", "model": "m", "effective_from": "2025-13-01", "input": 1, "cached_input": 1, "output": 1}]}""", "prices[0].effective_from: '2025-13-01' is not a date")]
    [InlineData("""{"schema_version": 1, "prices": [{"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": 1, "cached_inptu": 1, "output": 1}]}""", "cached_inptu")]
    [InlineData("""{"schema_version": 1, "prices": [{"provider": "openai", "model": "m", "effective_from": "2025-01-01", "input": 1, "cached_input": 1, "output": 1},""" +
                """{"provider": "OpenAI", "model": "M", "effective_from": "2025-01-01", "input": 2, "cached_input": 2, "output": 2}]}""", "prices[1]: a second price for OpenAI/M effective 2025-01-01")]
    [InlineData("""{"schema_version": 1, "prices": [""", "malformed JSON")]
    public void Invalid_catalog_is_rejected_naming_file_and_field(string json, string expected)
    {
        var e = Assert.Throws<PricingCatalogException>(() => Parse(json));

        Assert.Equal("test.json", e.CatalogSource);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Pricing catalog 'test.json' rejected: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<PricingCatalogException>(() => Parse("""
            {"schema_version": 1, "prices": [
              {"provider": "openai", "model": "a", "effective_from": "2025-01-01", "input": -1, "cached_input": 1, "output": 1},
              {"provider": "openai", "model": "b", "effective_from": "2025-01-01", "input": 1, "cached_input": 1}
            ]}
            """));

        Assert.Equal(["prices[0].input: -1 is outside 0..10000 USD per million tokens", "prices[1].output: required (USD per million tokens)"], e.Problems);
    }

    [Fact]
    public void Missing_file_is_rejected_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "perfotel-no-such-dir", "catalog.json");

        var e = Assert.Throws<PricingCatalogException>(() => PricingCatalog.Load(path));

        Assert.Equal($"Pricing catalog '{path}' rejected: file not found", e.Message);
    }
}
