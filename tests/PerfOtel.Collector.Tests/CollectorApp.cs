using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace PerfOtel.Collector.Tests;

/// <summary>The collector in memory (TestServer) with one API key and small limits.</summary>
public sealed class CollectorApp : WebApplicationFactory<Program>
{
    public const string Key = "test-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PerfOtel:Ingest:ApiKeys:0:Source", "tests");
        builder.UseSetting("PerfOtel:Ingest:ApiKeys:0:Key", Key);
        builder.UseSetting("PerfOtel:Ingest:ApiKeys:1:Source", "second");
        builder.UseSetting("PerfOtel:Ingest:ApiKeys:1:Key", "another-key-abcdef");
        builder.UseSetting("PerfOtel:Ingest:MaxBodyBytes", "65536");
        builder.UseSetting("PerfOtel:Ingest:MaxEventsPerBatch", "100");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:0:Name", "review.comments");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:0:Kind", "counter");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:0:Unit", "{comment}");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:0:Labels:0", "repo");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:1:Name", "eval.score");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:1:Kind", "histogram");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:1:Buckets:0", "0.5");
        builder.UseSetting("PerfOtel:CustomMetrics:Metrics:1:Buckets:1", "0.9");
    }

    public HttpClient Authorized()
    {
        var c = CreateClient();
        c.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        return c;
    }

    public MetricCollector<T> Collect<T>(string meter, string instrument) where T : struct =>
        new(Services.GetRequiredService<IMeterFactory>(), meter, instrument);
}
