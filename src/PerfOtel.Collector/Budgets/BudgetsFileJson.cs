using System.Text.Json.Serialization;

namespace PerfOtel.Collector.Budgets;

/// <summary>
/// A budgets file (<c>PerfOtel:Budgets:File</c>) as written, snake_case like the pricing catalog:
/// <c>{"budgets": [{"scope": "team", "name": "search", "period": "monthly", "limit_usd": 500}]}</c>.
/// Everything is nullable or a string so that validation can name what is missing or wrong.
/// </summary>
internal sealed class BudgetsFileDocument
{
    public string? Comment { get; set; }

    public List<BudgetEntryDocument?>? Budgets { get; set; }
}

/// <summary>One <c>budgets[]</c> entry as written.</summary>
internal sealed class BudgetEntryDocument
{
    public string? Scope { get; set; }

    public string? Name { get; set; }

    public string? Period { get; set; }

    public double? LimitUsd { get; set; }

    public string? Comment { get; set; }
}

/// <summary>Source-generated reading of the budgets file; unknown fields are errors (a typo must not drop a limit).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BudgetsFileDocument))]
internal sealed partial class BudgetsJsonContext : JsonSerializerContext;
