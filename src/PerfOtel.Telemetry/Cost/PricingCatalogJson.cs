using System.Text.Json.Serialization;

namespace PerfOtel.Telemetry.Cost;

/// <summary>The catalog file as written (snake_case). Every field is nullable so that validation can name what is missing.</summary>
internal sealed class PricingCatalogDocument
{
    public int? SchemaVersion { get; set; }

    public string? Comment { get; set; }

    public List<PriceEntryDocument?>? Prices { get; set; }
}

/// <summary>One <c>prices[]</c> entry as written.</summary>
internal sealed class PriceEntryDocument
{
    public string? Provider { get; set; }

    public string? Model { get; set; }

    public string? EffectiveFrom { get; set; }

    public decimal? Input { get; set; }

    public decimal? CachedInput { get; set; }

    public decimal? Output { get; set; }

    public string? Comment { get; set; }
}

/// <summary>
/// Source-generated (de)serialization of the catalog. Unknown fields are errors: a typo such as <c>cached_inptu</c>
/// must not silently price cached tokens at nothing.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PricingCatalogDocument))]
internal sealed partial class PricingCatalogJsonContext : JsonSerializerContext;
