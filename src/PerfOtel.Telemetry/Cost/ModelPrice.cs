namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// The price of one model from a date on, in USD per million tokens by token type. Reasoning tokens are part of the
/// output tokens and billed at the output price.
/// </summary>
/// <param name="Provider"><c>gen_ai.provider.name</c>.</param>
/// <param name="Model"><c>gen_ai.request.model</c>.</param>
/// <param name="EffectiveFrom">First day (UTC) this price applies; it applies until the next entry's date.</param>
/// <param name="InputUsdPerMillion">Uncached input tokens.</param>
/// <param name="CachedInputUsdPerMillion">Input tokens read from the provider's prompt cache.</param>
/// <param name="OutputUsdPerMillion">Output tokens, reasoning included.</param>
public sealed record ModelPrice(
    string Provider,
    string Model,
    DateOnly EffectiveFrom,
    decimal InputUsdPerMillion,
    decimal CachedInputUsdPerMillion,
    decimal OutputUsdPerMillion)
{
    /// <summary>Start of <see cref="EffectiveFrom"/> as a UTC instant.</summary>
    public DateTimeOffset EffectiveFromUtc { get; } = new(EffectiveFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// USD for the given token counts. Computed in decimal, so that the result is the double nearest to the exact
    /// amount (no drift from binary fractions such as 0.075).
    /// </summary>
    public double CostUsd(long uncachedInputTokens, long cachedInputTokens, long outputTokens) =>
        (double)(((uncachedInputTokens * InputUsdPerMillion)
                  + (cachedInputTokens * CachedInputUsdPerMillion)
                  + (outputTokens * OutputUsdPerMillion)) / 1_000_000m);
}
