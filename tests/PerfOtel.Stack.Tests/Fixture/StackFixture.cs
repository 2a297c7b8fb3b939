using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// The real stack on 127.0.0.1 with free ports and a temp dir: the collector (its built dll, as a process),
/// node_exporter, Prometheus (scraping every second, evaluating the shipped rules every second), Alertmanager
/// (shipped routing, short waits) and a local listener as webhook and Slack endpoint. Everything is killed on
/// dispose, also when a test failed.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private const string TrafficBatch = """
        {"events":[
          {"type":"run","agent":"traffic-planner","outcome":"success","duration_seconds":30},
          {"type":"run","agent":"traffic-planner","outcome":"failure","error_category":"tool_error","duration_seconds":90},
          {"type":"run","agent":"traffic-executor","outcome":"blocked","error_category":"waiting_on_human","duration_seconds":5},
          {"type":"run","agent":"traffic-executor","outcome":"cancelled","duration_seconds":2},
          {"type":"llm_call","agent":"traffic-planner","provider":"openai","model":"gpt-4o","operation":"chat","input_tokens":900,"output_tokens":200,"duration_seconds":2.1},
          {"type":"llm_call","agent":"traffic-executor","provider":"anthropic","model":"claude-sonnet","operation":"chat","input_tokens":1500,"output_tokens":400,"duration_seconds":3.2},
          {"type":"llm_call","agent":"traffic-executor","provider":"anthropic","model":"claude-sonnet","operation":"chat","input_tokens":700,"output_tokens":0,"duration_seconds":0.5,"error_type":"timeout"}
        ]}
        """;

    private readonly List<BackgroundProcess> processes = [];
    private readonly SemaphoreSlim trafficLock = new(1, 1);
    private bool trafficSent;

    public string Dir { get; } = Directory.CreateTempSubdirectory("perfotel-e2e-").FullName;

    public string ApiKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public int CollectorPort { get; } = FreePort.Next();

    public int PrometheusPort { get; } = FreePort.Next();

    public int AlertmanagerPort { get; } = FreePort.Next();

    public int NodeExporterPort { get; } = FreePort.Next();

    public string CollectorUrl => $"http://127.0.0.1:{CollectorPort}";

    public string PrometheusUrl => $"http://127.0.0.1:{PrometheusPort}";

    public string AlertmanagerUrl => $"http://127.0.0.1:{AlertmanagerPort}";

    public WebhookListener Listener { get; } = new();

    public PrometheusApi Prometheus { get; private set; } = null!;

    public HttpClient Collector { get; private set; } = null!;

    public BackgroundProcess CollectorProcess { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var secrets = Directory.CreateDirectory(Path.Combine(Dir, "secrets")).FullName;
        Directory.CreateDirectory(Path.Combine(secrets, "alertmanager"));
        File.WriteAllText(Path.Combine(secrets, "api-key"), ApiKey + "\n");
        File.WriteAllText(Path.Combine(secrets, "alertmanager", "slack_api_url"), Listener.Url("slack") + "\n");
        File.WriteAllText(Path.Combine(secrets, "alertmanager", "smtp_password"), "unused");

        CollectorProcess = Start("collector", "dotnet", [CollectorDll()], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = CollectorUrl,
            ["PerfOtel__Ingest__ApiKeys__0__Source"] = "e2e",
            ["PerfOtel__Ingest__ApiKeys__0__KeyFile"] = Path.Combine(secrets, "api-key"),
            ["PerfOtel__InstanceId"] = "e2e",
            // The stress tests send thousands of requests with one key.
            ["PerfOtel__Ingest__RateLimit__RequestsPerSecond"] = "100000",
            ["PerfOtel__Ingest__RateLimit__Burst"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var nodeExporter = Start("node_exporter", "prometheus-node-exporter", [$"--web.listen-address=127.0.0.1:{NodeExporterPort}", "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.filesystem", "--collector.netdev", "--collector.loadavg"]);

        RenderPrometheus();
        RenderAlertmanager(secrets);
        var am = Start("alertmanager", "prometheus-alertmanager",
        [
            $"--config.file={Path.Combine(Dir, "alertmanager.yml")}", $"--storage.path={Path.Combine(Dir, "am-data")}",
            $"--web.listen-address=127.0.0.1:{AlertmanagerPort}", "--cluster.listen-address=", $"--web.external-url={AlertmanagerUrl}",
        ]);
        var prom = Start("prometheus", "prometheus",
        [
            $"--config.file={Path.Combine(Dir, "prometheus", "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(Dir, "prom-data")}",
            $"--web.listen-address=127.0.0.1:{PrometheusPort}", "--web.enable-lifecycle", $"--web.external-url={PrometheusUrl}",
        ]);

        var startup = TimeSpan.FromSeconds(60);
        await Task.WhenAll(
            CollectorProcess.WaitForHttpOkAsync(CollectorUrl + "/readyz", startup),
            nodeExporter.WaitForHttpOkAsync($"http://127.0.0.1:{NodeExporterPort}/metrics", startup),
            am.WaitForHttpOkAsync(AlertmanagerUrl + "/-/ready", startup),
            prom.WaitForHttpOkAsync(PrometheusUrl + "/-/ready", startup));

        Prometheus = new PrometheusApi(PrometheusUrl);
        Collector = new HttpClient { BaseAddress = new Uri(CollectorUrl), Timeout = TimeSpan.FromSeconds(30) };
        Collector.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        // Every scrape job up before any test looks at data.
        await Prometheus.WaitForValueAsync("count(up == 1)", 4, TimeSpan.FromSeconds(60));
    }

    /// <summary>Posts a batch and asserts it was accepted.</summary>
    public async Task PostEventsAsync(string json)
    {
        using var r = await Collector.PostAsync("/v1/events", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == System.Net.HttpStatusCode.Accepted, $"ingest answered {(int)r.StatusCode}: {body}");
    }

    /// <summary>
    /// Once per stack: one event of every kind and outcome, sent twice a scrape apart so rates and recording rules
    /// over them have an increase to see.
    /// </summary>
    public async Task EnsureTrafficAsync()
    {
        await trafficLock.WaitAsync();
        try
        {
            if (trafficSent)
            {
                return;
            }

            for (var round = 0; round < 2; round++)
            {
                await PostEventsAsync(TrafficBatch);
                await WaitForScrapeAsync();
            }

            trafficSent = true;
        }
        finally
        {
            trafficLock.Release();
        }
    }

    /// <summary>Waits until a scrape of the collector that started after this call has completed.</summary>
    public async Task WaitForScrapeAsync()
    {
        var since = DateTimeOffset.UtcNow;
        var deadline = since + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var targets = await Prometheus.GetAsync("/api/v1/targets?state=active");
            foreach (var t in targets.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
            {
                if (t.GetProperty("labels").GetProperty("job").GetString() == "perfotel-collector"
                    && t.GetProperty("health").GetString() == "up"
                    && t.GetProperty("lastScrape").GetDateTimeOffset() > since)
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("no collector scrape completed within 30 s\n" + Diagnostics());
    }

    public string Diagnostics() => string.Join("\n\n", processes.Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes)
        {
            await p.DisposeAsync();
        }

        await Listener.DisposeAsync();
        trafficLock.Dispose();
        Prometheus?.Dispose();
        Collector?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException) { }
    }

    private BackgroundProcess Start(string name, string file, string[] args, Dictionary<string, string>? env = null)
    {
        var p = BackgroundProcess.Start(name, file, args, env, Dir);
        processes.Add(p);
        return p;
    }

    private void RenderPrometheus()
    {
        var promDir = Directory.CreateDirectory(Path.Combine(Dir, "prometheus")).FullName;
        File.WriteAllText(Path.Combine(promDir, "prometheus.yml"), ConfigRenderer.Render(RepoPaths.Of("prometheus", "prometheus.yml"),
        [
            ("scrape_interval: 15s", "scrape_interval: 1s"),
            ("evaluation_interval: 15s", "evaluation_interval: 1s"),
            ("collector:8080", $"127.0.0.1:{CollectorPort}"),
            ("prometheus:9090", $"127.0.0.1:{PrometheusPort}"),
            ("alertmanager:9093", $"127.0.0.1:{AlertmanagerPort}"),
            ("node-exporter:9100", $"127.0.0.1:{NodeExporterPort}"),
        ]));
        var rulesDir = Directory.CreateDirectory(Path.Combine(promDir, "rules")).FullName;
        foreach (var rules in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            File.WriteAllText(Path.Combine(rulesDir, Path.GetFileName(rules)), ConfigRenderer.ShortenFor(File.ReadAllText(rules), "1s"));
        }
    }

    private void RenderAlertmanager(string secrets)
    {
        File.WriteAllText(Path.Combine(Dir, "alertmanager.yml"), ConfigRenderer.Render(RepoPaths.Of("deploy", "alertmanager", "alertmanager.yml"),
        [
            ("http://collector:8080/v1/alerts", Listener.Url("webhook")),
            ("/run/perfotel/", secrets + "/"),
            ("group_wait: 30s", "group_wait: 1s"),
            ("group_interval: 5m", "group_interval: 2s"),
            // Never send mail off this machine: a closed loopback port.
            ("smtp.example.com:587", $"127.0.0.1:{FreePort.Next()}"),
        ]));
    }

    private static string CollectorDll()
    {
        // The test project references the collector, so it is built in the same configuration as the tests.
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepoPaths.Of("src", "PerfOtel.Collector", "bin", config, "net10.0", "PerfOtel.Collector.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("collector not built", dll);
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "real stack";
}
