using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Collector.Ingest;
using PerfOtel.Collector.Labels;
using PerfOtel.LoadGen;

namespace PerfOtel.Benchmarks;

/// <summary>
/// Where the collector's CPU goes per batch, outside HTTP: parsing the JSON (the collector's own source-generated
/// context), validating, recording through the library, and the three together (the baseline: each step's Ratio is
/// its share). The batch is the load generator's default: 500 events, one run per five, 10 agents x 5 models.
/// </summary>
[Config(typeof(ModestJobConfig))]
[MemoryDiagnoser]
public class IngestBatchBenchmarks : IDisposable
{
    private OtelHarness otel = null!;
    private JsonTypeInfo<EventBatch> json = null!;
    private EventValidator validator = null!;
    private EventRecorder recorder = null!;
    private byte[] body = [];
    private EventBatch parsed = null!;
    private ValidatedBatch validated = null!;

    [Params(500)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        otel = new OtelHarness();
        json = CollectorJson<EventBatch>();
        // Wired as Program.cs wires them (singletons), with default options and no custom metrics.
        var options = new IngestOptions();
        validator = new EventValidator(options, new CustomMetricRegistry(otel.MeterFactory, Options.Create(new CustomMetricsOptions())));
        recorder = new EventRecorder(otel.Agents, otel.Collector, new LabelCardinalityGuard(Options.Create(options)));
        body = new EventMix().Batch(0, Events);
        parsed = JsonSerializer.Deserialize(body, json) ?? throw new InvalidOperationException("empty batch");
        validated = validator.Validate(parsed, out var problems)
            ?? throw new InvalidOperationException("generated batch is invalid: " + string.Join("; ", problems.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}")));
        if (validated.Count != Events)
        {
            throw new InvalidOperationException($"validated {validated.Count} of {Events} events");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        otel?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<EventBatch?> Parse()
    {
        // A stream, as the endpoint reads the request body (DeserializeAsync buffers it in pooled segments).
        using var stream = new MemoryStream(body, writable: false);
        return await JsonSerializer.DeserializeAsync(stream, json);
    }

    [Benchmark]
    public ValidatedBatch? Validate() => validator.Validate(parsed, out _);

    [Benchmark]
    public void Record() => recorder.Record(validated);

    [Benchmark(Baseline = true)]
    public async Task<int> ParseValidateRecord()
    {
        using var stream = new MemoryStream(body, writable: false);
        var batch = await JsonSerializer.DeserializeAsync(stream, json);
        var valid = validator.Validate(batch, out _) ?? throw new InvalidOperationException("invalid batch");
        recorder.Record(valid);
        return valid.Count;
    }

    /// <summary>
    /// The collector's own JSON metadata (its context is internal): a parse benchmark with other serializer options
    /// would measure another parser.
    /// </summary>
    private static JsonTypeInfo<T> CollectorJson<T>()
    {
        var type = typeof(EventBatch).Assembly.GetType("PerfOtel.Collector.Ingest.IngestJsonContext", throwOnError: true)!;
        var context = (JsonSerializerContext)type.GetProperty("Default")!.GetValue(null)!;
        return (JsonTypeInfo<T>)(context.GetTypeInfo(typeof(T)) ?? throw new InvalidOperationException($"{type} has no metadata for {typeof(T)}"));
    }
}
