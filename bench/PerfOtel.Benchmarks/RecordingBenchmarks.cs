using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PerfOtel.Telemetry;
using static PerfOtel.Telemetry.AgentSemanticConventions;
using Prom = Prometheus;

namespace PerfOtel.Benchmarks;

/// <summary>
/// One recording three ways, each doing the same measurements with the same labels:
/// <list type="bullet">
/// <item><c>PerfOtel</c>: <see cref="AgentMetrics"/>, as agents and the collector call it.</item>
/// <item><c>RawOtel</c> (baseline): the same kind of OTel histograms, same buckets and tags, called directly: the
/// floor under our library. Target: PerfOtel at most 1.5x this, and 0 B allocated.</item>
/// <item><c>PrometheusNet</c>: prometheus-net histograms with the same labels, looked up per call.</item>
/// </list>
/// An LLM call is three measurements (duration, input and output tokens); a failed one two (duration with
/// <c>error.type</c>, input tokens); a run one. <see cref="LabelSets"/> distinct label sets are cycled through, so the
/// SDK's lookup of the metric point is measured too (512 keeps every instrument under the SDK's cardinality limit
/// of 2000 points).
/// </summary>
[Config(typeof(ModestJobConfig))]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RecordingBenchmarks : IDisposable
{
    private const string LlmCall = "LlmCall";
    private const string FailedLlmCall = "FailedLlmCall";
    private const string Run = "Run";

    private OtelHarness otel = null!;
    private Histogram<double> rawDuration = null!;
    private Histogram<long> rawTokens = null!;
    private Histogram<double> rawRun = null!;
    private Prom.Histogram promDuration = null!;
    private Prom.Histogram promTokens = null!;
    private Prom.Histogram promRun = null!;
    private LlmCallRecord[] calls = [];
    private LlmCallRecord[] failedCalls = [];
    private RunRecord[] runs = [];
    private int next;

    [Params(1, 512)]
    public int LabelSets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        otel = new OtelHarness();
        var raw = otel.MeterFactory.Create(OtelHarness.RawMeterName);
        rawDuration = raw.CreateHistogram("raw." + OperationDuration, "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentBuckets.OperationDurationSeconds });
        rawTokens = raw.CreateHistogram("raw." + TokenUsage, "{token}", null, null, new InstrumentAdvice<long> { HistogramBucketBoundaries = AgentBuckets.TokenUsage });
        rawRun = raw.CreateHistogram("raw." + RunDuration, "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentBuckets.RunDurationSeconds });

        var prom = Prom.Metrics.WithCustomRegistry(Prom.Metrics.NewCustomRegistry());
        promDuration = prom.CreateHistogram("gen_ai_client_operation_duration_seconds", "Duration of GenAI operations.", new Prom.HistogramConfiguration
        {
            LabelNames = ["gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_agent_name", "error_type"],
            Buckets = [.. AgentBuckets.OperationDurationSeconds],
        });
        promTokens = prom.CreateHistogram("gen_ai_client_token_usage", "Tokens per model call.", new Prom.HistogramConfiguration
        {
            LabelNames = ["gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_agent_name", "gen_ai_token_type"],
            Buckets = [.. AgentBuckets.TokenUsage.Select(b => (double)b)],
        });
        promRun = prom.CreateHistogram("agent_run_duration_seconds", "Duration of agent runs.", new Prom.HistogramConfiguration
        {
            LabelNames = ["gen_ai_agent_name", "agent_run_outcome", "error_type"],
            Buckets = [.. AgentBuckets.RunDurationSeconds],
        });

        // 32 agents x 16 models at most; run label sets: agents x outcomes.
        calls = new LlmCallRecord[LabelSets];
        failedCalls = new LlmCallRecord[LabelSets];
        runs = new RunRecord[LabelSets];
        for (var i = 0; i < LabelSets; i++)
        {
            var agent = "agent-" + (i % 32).ToString("D4", CultureInfo.InvariantCulture);
            var model = "model-" + (i / 32).ToString("D4", CultureInfo.InvariantCulture);
            calls[i] = new LlmCallRecord("openai", model, "chat", agent, 1200 + i, 300 + i, 1.8);
            failedCalls[i] = new LlmCallRecord("openai", model, "chat", agent, 1200 + i, 0, 0.4, "rate_limited");
            var outcome = (RunOutcome)(i / 32 % 4);
            runs[i] = new RunRecord(agent, outcome, 12.5, outcome == RunOutcome.Success ? null : "timeout");
        }

        // Every path once, then check the SDK aggregated it (an unlistened instrument would make a fast no-op).
        for (var i = 0; i < LabelSets; i++)
        {
            LlmCall_PerfOtel();
            LlmCall_RawOtel();
            FailedLlmCall_PerfOtel();
            FailedLlmCall_RawOtel();
            Run_PerfOtel();
            Run_RawOtel();
        }

        otel.AssertListening(OperationDuration, TokenUsage, RunDuration, "raw." + OperationDuration, "raw." + TokenUsage, "raw." + RunDuration);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        otel?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark, BenchmarkCategory(LlmCall)]
    public void LlmCall_PerfOtel() => otel.Agents.RecordLlmCall(calls[Next()]);

    [Benchmark(Baseline = true), BenchmarkCategory(LlmCall)]
    public void LlmCall_RawOtel() => RawLlmCall(calls[Next()]);

    [Benchmark, BenchmarkCategory(LlmCall)]
    public void LlmCall_PrometheusNet() => PromLlmCall(calls[Next()]);

    [Benchmark, BenchmarkCategory(FailedLlmCall)]
    public void FailedLlmCall_PerfOtel() => otel.Agents.RecordLlmCall(failedCalls[Next()]);

    [Benchmark(Baseline = true), BenchmarkCategory(FailedLlmCall)]
    public void FailedLlmCall_RawOtel() => RawLlmCall(failedCalls[Next()]);

    [Benchmark, BenchmarkCategory(FailedLlmCall)]
    public void FailedLlmCall_PrometheusNet() => PromLlmCall(failedCalls[Next()]);

    [Benchmark, BenchmarkCategory(Run)]
    public void Run_PerfOtel() => otel.Agents.RecordRun(runs[Next()]);

    [Benchmark(Baseline = true), BenchmarkCategory(Run)]
    public void Run_RawOtel()
    {
        var run = runs[Next()];
        var tags = new TagList { { AttrAgentName, run.Agent }, { AttrRunOutcome, run.Outcome.ToAttribute() } };
        if (run.ErrorCategory is not null && run.Outcome != RunOutcome.Success)
        {
            tags.Add(AttrErrorType, run.ErrorCategory);
        }

        rawRun.Record(run.DurationSeconds, tags);
    }

    [Benchmark, BenchmarkCategory(Run)]
    public void Run_PrometheusNet()
    {
        var run = runs[Next()];
        ReadOnlySpan<string> labels = [run.Agent, run.Outcome.ToAttribute(), run.Outcome == RunOutcome.Success ? "" : run.ErrorCategory ?? ""];
        promRun.WithLabels(labels).Observe(run.DurationSeconds);
    }

    private int Next()
    {
        var i = next + 1;
        next = i == LabelSets ? 0 : i;
        return next;
    }

    /// <summary>What the library must do at least: the same tags in the same order, the same measurements.</summary>
    private void RawLlmCall(in LlmCallRecord call)
    {
        var tags = new TagList
        {
            { AttrOperationName, call.Operation },
            { AttrProviderName, call.Provider },
            { AttrRequestModel, call.Model },
            { AttrAgentName, call.Agent },
        };
        var success = call.ErrorType is null;
        if (success)
        {
            rawDuration.Record(call.DurationSeconds, tags);
        }
        else
        {
            var failed = tags;
            failed.Add(AttrErrorType, call.ErrorType);
            rawDuration.Record(call.DurationSeconds, failed);
        }

        if (call.InputTokens > 0 || success)
        {
            var input = tags;
            input.Add(AttrTokenType, TokenTypeInput);
            rawTokens.Record(call.InputTokens, input);
        }

        if (call.OutputTokens > 0 || success)
        {
            var output = tags;
            output.Add(AttrTokenType, TokenTypeOutput);
            rawTokens.Record(call.OutputTokens, output);
        }
    }

    private void PromLlmCall(in LlmCallRecord call)
    {
        ReadOnlySpan<string> duration = [call.Operation, call.Provider, call.Model, call.Agent, call.ErrorType ?? ""];
        promDuration.WithLabels(duration).Observe(call.DurationSeconds);
        var success = call.ErrorType is null;
        if (call.InputTokens > 0 || success)
        {
            ReadOnlySpan<string> input = [call.Operation, call.Provider, call.Model, call.Agent, TokenTypeInput];
            promTokens.WithLabels(input).Observe(call.InputTokens);
        }

        if (call.OutputTokens > 0 || success)
        {
            ReadOnlySpan<string> output = [call.Operation, call.Provider, call.Model, call.Agent, TokenTypeOutput];
            promTokens.WithLabels(output).Observe(call.OutputTokens);
        }
    }
}
