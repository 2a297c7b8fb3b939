using PerfOtel.Collector.Alerts;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.Health;
using PerfOtel.Collector.Ingest;
using PerfOtel.Collector.Observability;
using PerfOtel.Collector.Security;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<IngestOptions>()
    .Bind(builder.Configuration.GetSection(IngestOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, IngestJsonContext.Default));
builder.Services.AddCollectorTelemetry(builder.Configuration);
builder.Services.AddSingleton<ApiKeyStore>();
builder.Services.AddSingleton<EventRecorder>();
builder.Services.AddHealthChecks().AddCheck<IngestReadyCheck>("ingest", tags: ["ready"]);

var app = builder.Build();

// Load (or generate) the API keys at start-up, not on the first request.
app.Services.GetRequiredService<ApiKeyStore>();

app.UseExceptionHandler();
app.UseStatusCodePages();

var v1 = app.MapGroup("/v1");
v1.MapIngestEndpoints();
v1.MapAlertWebhookEndpoints();

app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
app.MapHealthChecks("/readyz", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapPrometheusScrapingEndpoint();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
