namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// Names of the cost instruments. The OTel GenAI conventions do not price tokens, so these are PerfOtel's own; they
/// carry the <c>gen_ai.*</c> attributes (and <c>agent.team</c>) so that they join the token metrics in PromQL.
/// </summary>
/// <remarks>
/// The currency is in the instrument name, not only in the unit: the Prometheus exporter appends a non-UCUM unit such
/// as <c>USD</c> verbatim (<c>agent_llm_cost_USD_total</c>), while a unit in braces adds no suffix. Name
/// <c>agent.llm.cost.usd</c> with unit <c>{USD}</c> is exposed as <c>agent_llm_cost_usd_total</c>.
/// </remarks>
public static class CostSemanticConventions
{
    /// <summary>Counter of USD spent on model calls (Prometheus <c>agent_llm_cost_usd_total</c>).</summary>
    public const string Cost = "agent.llm.cost.usd";

    public const string CostUnit = "{USD}";

    /// <summary>
    /// Counter of tokens of models without a price (Prometheus <c>agent_llm_unpriced_tokens_total</c>), by
    /// <c>gen_ai.token.type</c> <c>input</c>, <c>cached_input</c>, <c>output</c> with the meaning they have in
    /// <c>gen_ai.client.token.usage</c>: <c>cached_input</c> is a part of <c>input</c>.
    /// </summary>
    public const string UnpricedTokens = "agent.llm.unpriced_tokens";
}
