namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// Names of the cost instruments. The OTel GenAI conventions do not price tokens, so these are PerfOtel's own; they
/// carry the <c>gen_ai.*</c> attributes so that they join the token metrics in PromQL.
/// </summary>
/// <remarks>
/// Currency goes into the instrument name, not only the unit: the Prometheus exporter appends a non-UCUM unit such as
/// <c>USD</c> verbatim (<c>agent_llm_cost_USD_total</c>), while a unit in braces adds no suffix. Name
/// <c>agent.llm.cost.usd</c> with unit <c>{USD}</c> is exposed as <c>agent_llm_cost_usd_total</c>.
/// </remarks>
public static class CostSemanticConventions
{
    /// <summary>Counter of USD spent on model calls (Prometheus <c>agent_llm_cost_usd_total</c>).</summary>
    public const string Cost = "agent.llm.cost.usd";

    public const string CostUnit = "{USD}";

    /// <summary>Counter of tokens of models without a price (Prometheus <c>agent_llm_unpriced_tokens_total</c>).</summary>
    public const string UnpricedTokens = "agent.llm.unpriced_tokens";

    /// <summary>Team or project a call was made for; omitted when the event names none.</summary>
    public const string AttrTeam = "agent.team";

    /// <summary>Uncached input tokens (the <c>input</c> price).</summary>
    public const string TokenTypeInput = "input";

    /// <summary>Input tokens served from the prompt cache (the <c>cached_input</c> price).</summary>
    public const string TokenTypeCachedInput = "cached_input";

    /// <summary>Output tokens, reasoning included (the <c>output</c> price).</summary>
    public const string TokenTypeOutput = "output";
}
