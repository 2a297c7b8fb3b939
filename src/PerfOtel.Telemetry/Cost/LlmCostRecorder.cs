using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// Prices model calls with the catalog in force and records <c>agent.llm.cost.usd</c>; tokens of a model without a
/// price go to <c>agent.llm.unpriced_tokens</c> instead, never costed at $0. Thread-safe; a priced call allocates
/// nothing (tags on the stack, frozen-dictionary lookup with a struct key).
/// </summary>
/// <remarks>
/// USD = (input - cached) × input price + cached × cached_input price + output × output price, prices per million
/// tokens. Reasoning tokens are part of the output tokens and billed as output. Calls are priced at the time they
/// are recorded (ingest time), with the price whose <c>effective_from</c> is the latest not after that time.
/// </remarks>
public sealed class LlmCostRecorder
{
    private readonly PricingCatalogFile catalogFile;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Counter<double> cost;
    private readonly Counter<long> unpricedTokens;

    // Models already reported as unpriced, with the catalog they were missing from: logged once per catalog version.
    private readonly ConcurrentDictionary<ModelKey, PricingCatalog> reportedUnpriced = new(ModelKey.Comparer);

    public LlmCostRecorder(IMeterFactory meterFactory, PricingCatalogFile catalogFile, ILogger<LlmCostRecorder> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(catalogFile);
        ArgumentNullException.ThrowIfNull(logger);
        this.catalogFile = catalogFile;
        this.logger = logger;
        time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory.Create(AgentSemanticConventions.MeterName);
        cost = meter.CreateCounter<double>(
            CostSemanticConventions.Cost,
            CostSemanticConventions.CostUnit,
            "Cost of model calls in USD, from the pricing catalog's list prices.");
        unpricedTokens = meter.CreateCounter<long>(
            CostSemanticConventions.UnpricedTokens,
            "{token}",
            "Tokens of models that have no price in the pricing catalog; not included in the cost.");
    }

    /// <summary>Prices one call and records its cost (or its unpriced tokens).</summary>
    public void Record(in LlmCallRecord call)
    {
        // Defensive clamps: monitoring never throws. Cached tokens are a part of the input tokens.
        var input = Math.Max(call.InputTokens, 0);
        var cached = Math.Clamp(call.CachedInputTokens, 0, input);
        var uncached = input - cached;
        var output = Math.Max(call.OutputTokens, 0);
        if (input == 0 && output == 0)
        {
            return;
        }

        var catalog = catalogFile.Current;
        var now = time.GetUtcNow();
        if (catalog.TryGetPrice(call.Provider, call.Model, now, out var price))
        {
            var tags = new TagList
            {
                { AgentSemanticConventions.AttrProviderName, call.Provider },
                { AgentSemanticConventions.AttrRequestModel, call.Model },
                { AgentSemanticConventions.AttrAgentName, call.Agent },
            };
            if (!string.IsNullOrEmpty(call.Team))
            {
                tags.Add(AgentSemanticConventions.AttrTeam, call.Team);
            }

            cost.Add(price.CostUsd(uncached, cached, output), tags);
            return;
        }

        RecordUnpriced(call, input, cached, output);
        ReportUnpricedOnce(call, catalog, now);
    }

    // Same token kinds as gen_ai.client.token.usage: input and output are totals, cached_input is a part of input,
    // so that the catalog's formula applies unchanged once a price is added.
    private void RecordUnpriced(in LlmCallRecord call, long input, long cached, long output)
    {
        var tags = new TagList
        {
            { AgentSemanticConventions.AttrProviderName, call.Provider },
            { AgentSemanticConventions.AttrRequestModel, call.Model },
            { AgentSemanticConventions.AttrTokenType, AgentSemanticConventions.TokenTypeInput },
        };
        if (input > 0)
        {
            unpricedTokens.Add(input, tags);
        }

        if (cached > 0)
        {
            tags[2] = new(AgentSemanticConventions.AttrTokenType, AgentSemanticConventions.TokenTypeCachedInput);
            unpricedTokens.Add(cached, tags);
        }

        if (output > 0)
        {
            tags[2] = new(AgentSemanticConventions.AttrTokenType, AgentSemanticConventions.TokenTypeOutput);
            unpricedTokens.Add(output, tags);
        }
    }

    private void ReportUnpricedOnce(in LlmCallRecord call, PricingCatalog catalog, DateTimeOffset now)
    {
        var key = new ModelKey(call.Provider, call.Model);
        bool first;
        if (reportedUnpriced.TryGetValue(key, out var reportedFor))
        {
            // Reported already; again only if the catalog was reloaded since and still has no price.
            first = !ReferenceEquals(reportedFor, catalog) && reportedUnpriced.TryUpdate(key, catalog, reportedFor);
        }
        else
        {
            first = reportedUnpriced.TryAdd(key, catalog);
        }

        if (first)
        {
            PricingLog.Unpriced(logger, call.Provider, call.Model, now, catalog.Source);
        }
    }
}
