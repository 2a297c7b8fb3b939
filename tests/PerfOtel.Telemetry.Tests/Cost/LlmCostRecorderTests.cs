using Microsoft.Extensions.Logging;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Telemetry.Tests.Cost;

public sealed class LlmCostRecorderTests : IDisposable
{
    private static readonly DateTimeOffset March2025 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly TempCatalog file = new(Catalogs.Simple);
    private readonly PricingHarness h;

    public LlmCostRecorderTests() => h = new PricingHarness(file.Path, March2025);

    private static LlmCallRecord Call(string model, long input, long output, string provider = "openai") =>
        new(provider, model, "chat", "planner", input, output, 1.0);

    [Fact]
    public void Cost_is_uncached_input_plus_cached_input_plus_output_at_their_prices()
    {
        // claude-sonnet-4: input 3.00, cached 0.30, output 15.00 USD per 1M tokens.
        // (10000 - 4000) × 3 + 4000 × 0.30 + 2000 × 15 = 18000 + 1200 + 30000 = 49200 µUSD.
        h.Recorder.Record(Call("claude-sonnet-4", 10_000, 2_000, "anthropic") with { CachedInputTokens = 4_000 });

        var m = Assert.Single(h.Cost.GetMeasurementSnapshot());
        Assert.Equal(0.0492, m.Value);
        Assert.Equal("anthropic", m.Tags["gen_ai.provider.name"]);
        Assert.Equal("claude-sonnet-4", m.Tags["gen_ai.request.model"]);
        Assert.Equal("planner", m.Tags["gen_ai.agent.name"]);
        Assert.Equal("{USD}", h.Cost.Instrument!.Unit);
        Assert.Equal("agent.llm.cost.usd", h.Cost.Instrument.Name);
    }

    [Fact]
    public void Reasoning_tokens_are_billed_as_the_output_tokens_they_are_part_of()
    {
        // gpt-4o before July: input 2.50, cached 1.25, output 10.00. 1000 × 2.5 + 300 × 10 = 5500 µUSD, whatever the
        // share of reasoning in the 300 output tokens.
        h.Recorder.Record(Call("gpt-4o", 1_000, 300));
        h.Recorder.Record(Call("gpt-4o", 1_000, 300) with { ReasoningTokens = 250 });

        Assert.Equal([0.0055, 0.0055], h.Cost.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public void Team_is_an_attribute_only_when_the_call_names_one()
    {
        h.Recorder.Record(Call("gpt-4o", 100, 10) with { Team = "search" });
        h.Recorder.Record(Call("gpt-4o", 100, 10));

        var ms = h.Cost.GetMeasurementSnapshot();
        Assert.Equal("search", ms[0].Tags["agent.team"]);
        Assert.False(ms[1].Tags.ContainsKey("agent.team"));
    }

    [Fact]
    public void Call_is_priced_with_the_price_in_force_at_record_time()
    {
        h.Recorder.Record(Call("gpt-4o", 1_000_000, 0));
        h.Clock.Now = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        h.Recorder.Record(Call("gpt-4o", 1_000_000, 0));

        Assert.Equal([2.50, 2.00], h.Cost.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task Announcing_a_future_price_change_does_not_change_todays_price()
    {
        // A price change is a new entry with a later effective_from; until that day, calls keep the old price.
        file.Replace(Catalogs.Simple.Replace("\"2025-07-01\"", "\"2025-03-11\"", StringComparison.Ordinal));
        Assert.True(await Catalogs.EventuallyAsync(() => h.Catalog.Current.Prices.Any(p => p.EffectiveFrom == new DateOnly(2025, 3, 11))));

        h.Recorder.Record(Call("gpt-4o", 1_000_000, 0));
        h.Clock.Now = h.Clock.Now.AddDays(1);
        h.Recorder.Record(Call("gpt-4o", 1_000_000, 0));

        Assert.Equal([2.50, 2.00], h.Cost.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public void Tokens_of_a_model_without_price_are_counted_apart_and_never_costed()
    {
        h.Recorder.Record(Call("gpt-9", 1_000, 200) with { CachedInputTokens = 400 });

        Assert.Empty(h.Cost.GetMeasurementSnapshot());
        var byType = h.Unpriced.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["gen_ai.token.type"]!, m => m.Value);
        // The kinds of gen_ai.client.token.usage: input is the total, cached_input the part of it read from cache.
        Assert.Equal(new Dictionary<string, long> { ["input"] = 1_000, ["cached_input"] = 400, ["output"] = 200 }, byType);
        var any = h.Unpriced.GetMeasurementSnapshot()[0];
        Assert.Equal("openai", any.Tags["gen_ai.provider.name"]);
        Assert.Equal("gpt-9", any.Tags["gen_ai.request.model"]);
        Assert.Equal("{token}", h.Unpriced.Instrument!.Unit);
    }

    [Fact]
    public void A_call_before_the_first_price_of_a_model_is_unpriced()
    {
        h.Clock.Now = new DateTimeOffset(2024, 12, 31, 0, 0, 0, TimeSpan.Zero);
        h.Recorder.Record(Call("gpt-4o", 100, 10));

        Assert.Empty(h.Cost.GetMeasurementSnapshot());
        Assert.Equal(110, h.Unpriced.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void Unpriced_model_is_logged_once_not_per_call()
    {
        for (var i = 0; i < 5; i++)
        {
            h.Recorder.Record(Call("gpt-9", 100, 10));
            h.Recorder.Record(Call("GPT-9", 100, 10));
            h.Recorder.Record(Call("other-model", 100, 10));
        }

        var warnings = h.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("provider openai model gpt-9 ", warnings[0], StringComparison.Ordinal);
        Assert.Contains(file.Path, warnings[0], StringComparison.Ordinal);
        Assert.Contains("model other-model ", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_without_tokens_records_nothing()
    {
        h.Recorder.Record(Call("gpt-4o", 0, 0));
        h.Recorder.Record(Call("gpt-9", 0, 0));

        Assert.Empty(h.Cost.GetMeasurementSnapshot());
        Assert.Empty(h.Unpriced.GetMeasurementSnapshot());
    }

    [Fact]
    public void Inconsistent_counts_are_clamped_not_thrown()
    {
        // More cached than input tokens: all input is priced as cached (1000 × 1.25 = 1250 µUSD).
        h.Recorder.Record(Call("gpt-4o", 1_000, -5) with { CachedInputTokens = 5_000 });

        Assert.Equal(0.00125, Assert.Single(h.Cost.GetMeasurementSnapshot()).Value);
    }

    public void Dispose()
    {
        h.Dispose();
        file.Dispose();
    }
}
