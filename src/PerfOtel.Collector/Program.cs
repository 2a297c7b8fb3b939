using PerfOtel.Collector.Alerts;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Collector.Labels;
using PerfOtel.Collector.Health;
using PerfOtel.Collector.Ingest;
using PerfOtel.Collector.Observability;
using PerfOtel.Collector.Probes;
using PerfOtel.Collector.Security;
using PerfOtel.Collector.Thresholds;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<IngestOptions>()
    .Bind(builder.Configuration.GetSection(IngestOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, IngestJsonContext.Default));
builder.Services.AddCollectorTelemetry(builder.Configuration);
builder.Services.AddComponentProbes(builder.Configuration);
builder.Services.AddSingleton<ThresholdSource>();
builder.Services.AddSingleton<ApiKeyStore>();
builder.Services.AddOptions<CustomMetricsOptions>()
    .Bind(builder.Configuration.GetSection(CustomMetricsOptions.Section))
    .ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<CustomMetricsOptions>, CustomMetricsOptionsValidator>();
builder.Services.AddSingleton<CustomMetricRegistry>();
builder.Services.AddSingleton<LabelCardinalityGuard>();
builder.Services.AddSingleton(sp => new EventValidator(sp.GetRequiredService<IOptions<IngestOptions>>().Value, sp.GetRequiredService<CustomMetricRegistry>()));
builder.Services.AddSingleton<EventRecorder>();
builder.Services.AddSingleton<IngestRateLimiter>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.Configure<AlertHistoryOptions>(builder.Configuration.GetSection(AlertHistoryOptions.Section));
builder.Services.AddSingleton<AlertHistory>();
var metricsAuth = builder.Services.AddMetricsBasicAuth(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<IngestReadyCheck>("ingest", tags: ["ready"]);

var app = builder.Build();

// Load (or generate) the API keys and create the custom instruments at start-up, not on the first request.
app.Services.GetRequiredService<ApiKeyStore>();
app.Services.GetRequiredService<CustomMetricRegistry>();
app.Services.GetRequiredService<ThresholdSource>();

app.UseExceptionHandler();
app.UseStatusCodePages();

var v1 = app.MapGroup("/v1");
v1.MapIngestEndpoints();
v1.MapAlertWebhookEndpoints();
v1.MapDiscardEndpoint();

app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
app.MapHealthChecks("/readyz", new() { Predicate = c => c.Tags.Contains("ready") });
var scrape = app.MapPrometheusScrapingEndpoint();
if (metricsAuth.Enabled)
{
    app.UseAuthentication();
    app.UseAuthorization();
    scrape.RequireAuthorization(MetricsBasicAuth.Policy);
}

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
