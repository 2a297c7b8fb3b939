using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PerfOtel.LoadGen;

/// <summary>
/// Synthetic agent traffic: a deterministic stream of runs and LLM calls (the <c>POST /v1/events</c> schema) over a
/// label space of <see cref="Agents"/> x <see cref="Models"/>. Event <c>i</c> is always the same event, so a stream
/// covers the label space in order and two runs send the same bytes. The benchmarks project links this file to parse
/// the very batches the load generator sends.
/// </summary>
/// <param name="Agents">Distinct <c>agent</c> values.</param>
/// <param name="Models">Distinct <c>model</c> values (the provider follows from the model).</param>
/// <param name="RunEvery">One event in this many is a run, the others are LLM calls; 0: LLM calls only.</param>
/// <param name="LlmErrorRate">Share of LLM calls that failed (<c>error_type</c> set, no output tokens).</param>
/// <param name="RunFailureRate">Share of runs that failed (<c>error_category</c> set).</param>
public sealed record EventMix(int Agents = 10, int Models = 5, int RunEvery = 5, double LlmErrorRate = 0.05, double RunFailureRate = 0.1)
{
    private static readonly string[] KnownModels =
        ["gpt-4o", "claude-sonnet-4", "gpt-4o-mini", "mistral-large", "gemini-2.5-pro", "deepseek-v3", "claude-haiku-4", "o3"];

    private static readonly string[] Providers = ["openai", "anthropic", "openai", "mistral_ai", "gcp.gemini", "deepseek", "anthropic", "openai"];

    /// <summary>Events needed before every agent x model pair has had an LLM call and every agent a run.</summary>
    public long CycleEvents
    {
        get
        {
            long pairs = (long)Agents * Models;
            return RunEvery <= 1
                ? (RunEvery == 1 ? Agents : pairs)
                : Math.Max(pairs * RunEvery / (RunEvery - 1) + RunEvery, (long)Agents * RunEvery);
        }
    }

    /// <summary>The JSON body of a batch: events <paramref name="first"/> .. first + count - 1 of the stream.</summary>
    public byte[] Batch(long first, int count)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 240);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("events");
            for (var k = 0; k < count; k++)
            {
                Write(w, first + k);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Distinct label sets that events 0 .. events - 1 create, per instrument (what the collector must hold).</summary>
    public LabelSetCount CountLabelSets(long events)
    {
        var duration = new HashSet<(int, int, bool)>();
        var tokens = new HashSet<(int, int, bool)>();
        var runs = new HashSet<(int, bool)>();
        for (long i = 0; i < events; i++)
        {
            var e = At(i);
            if (e.IsRun)
            {
                runs.Add((e.Agent, e.Failed));
            }
            else
            {
                duration.Add((e.Agent, e.Model, e.Failed));
                tokens.Add((e.Agent, e.Model, true));
                if (!e.Failed)
                {
                    tokens.Add((e.Agent, e.Model, false));
                }
            }
        }

        return new LabelSetCount(duration.Count, tokens.Count, runs.Count);
    }

    private void Write(Utf8JsonWriter w, long i)
    {
        var e = At(i);
        var r = Unit(i, 1);
        w.WriteStartObject();
        if (e.IsRun)
        {
            w.WriteString("type", "run");
            w.WriteString("run_id", "r-" + i.ToString(CultureInfo.InvariantCulture));
            w.WriteString("agent", AgentName(e.Agent));
            w.WriteString("outcome", e.Failed ? "failure" : "success");
            if (e.Failed)
            {
                w.WriteString("error_category", "timeout");
            }

            // 1 s .. ~1 h, log-uniform: runs land in every bucket of agent.run.duration.
            w.WriteNumber("duration_seconds", Math.Round(Math.Exp(r * 8.2), 3));
        }
        else
        {
            var model = ModelName(e.Model);
            w.WriteString("type", "llm_call");
            w.WriteString("agent", AgentName(e.Agent));
            w.WriteString("provider", Providers[e.Model % Providers.Length]);
            w.WriteString("model", model);
            w.WriteString("operation", "chat");
            w.WriteNumber("input_tokens", 100 + (long)(Unit(i, 2) * 20_000));
            w.WriteNumber("output_tokens", e.Failed ? 0 : 10 + (long)(Unit(i, 3) * 2_000));
            w.WriteNumber("duration_seconds", Math.Round(0.05 * Math.Exp(r * 6), 3));
            if (e.Failed)
            {
                w.WriteString("error_type", "rate_limited");
            }
        }

        w.WriteEndObject();
    }

    private Event At(long i)
    {
        if (RunEvery > 0 && i % RunEvery == RunEvery - 1)
        {
            var run = i / RunEvery;
            return new Event(true, (int)(run % Agents), 0, Unit(i, 0) < RunFailureRate);
        }

        // The ordinal among LLM calls, so that runs interleaved in the stream do not skip agent/model pairs.
        var call = RunEvery > 0 ? i - (i + 1) / RunEvery : i;
        return new Event(false, (int)(call % Agents), (int)(call / Agents % Models), Unit(i, 0) < LlmErrorRate);
    }

    private static string AgentName(int agent) => "agent-" + agent.ToString("D4", CultureInfo.InvariantCulture);

    private string ModelName(int model) =>
        Models <= KnownModels.Length ? KnownModels[model] : "model-" + model.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>A deterministic number in [0, 1) for event <paramref name="i"/> and purpose <paramref name="salt"/> (SplitMix64).</summary>
    private static double Unit(long i, int salt)
    {
        var z = unchecked((ulong)i * 0x9E3779B97F4A7C15UL + (ulong)salt * 0xD1B54A32D192ED03UL + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    private readonly record struct Event(bool IsRun, int Agent, int Model, bool Failed);
}

/// <summary>Distinct label sets per instrument (OTel metric points; Prometheus has ~17 series per histogram point).</summary>
public readonly record struct LabelSetCount(int OperationDuration, int TokenUsage, int RunDuration)
{
    public int Total => OperationDuration + TokenUsage + RunDuration;
}
