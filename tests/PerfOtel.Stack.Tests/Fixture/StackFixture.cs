using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// The real stack on 127.0.0.1 with free ports and a temp dir: the collector (its built dll, as a process),
/// node_exporter, Prometheus (scraping every second, evaluating the shipped rules every second), Alertmanager
/// (shipped routing, short waits), a local listener as webhook and Slack endpoint and a local SMTP sink as mail
/// server. Everything is killed on dispose, also when a test failed. <see cref="ShippedStackFixture"/> starts the
/// same stack with the shipped intervals instead.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private const string TrafficBatch = """
        {"events":[
          {"type":"run","agent":"traffic-planner","team":"traffic-team","environment":"e2e","outcome":"success","duration_seconds":30,
           "estimated_duration_seconds":45,"blockers":1,"lines_delivered":80,"retries":1,
           "phases":[{"name":"plan","duration_seconds":5},{"name":"execute","duration_seconds":20},{"name":"review","duration_seconds":5}]},
          {"type":"run","agent":"traffic-planner","outcome":"failure","error_category":"tool_error","duration_seconds":90},
          {"type":"run","agent":"traffic-executor","outcome":"blocked","error_category":"waiting_on_human","duration_seconds":5},
          {"type":"run","agent":"traffic-executor","outcome":"cancelled","duration_seconds":2},
          {"type":"llm_call","agent":"traffic-planner","team":"traffic-team","provider":"openai","model":"gpt-4o","operation":"chat","input_tokens":900,"cached_input_tokens":300,"output_tokens":200,"duration_seconds":2.1,"time_to_first_token_seconds":0.4},
          {"type":"tool_call","agent":"traffic-planner","team":"traffic-team","tool":"web_search","duration_seconds":0.7,"outcome":"success"},
          {"type":"tool_call","agent":"traffic-executor","tool":"shell","duration_seconds":1.2,"outcome":"failure","error_type":"exit_code"},
          {"type":"queue_snapshot","queue":"traffic-queue","depth":4,"busy_executors":2,"idle_executors":1},
          {"type":"llm_call","agent":"traffic-executor","provider":"anthropic","model":"claude-sonnet","operation":"chat","input_tokens":1500,"output_tokens":400,"duration_seconds":3.2},
          {"type":"llm_call","agent":"traffic-executor","provider":"anthropic","model":"claude-sonnet","operation":"chat","input_tokens":700,"output_tokens":0,"duration_seconds":0.5,"error_type":"timeout"}
        ]}
        """;

    private readonly List<BackgroundProcess> processes = [];
    private readonly SemaphoreSlim trafficLock = new(1, 1);
    private readonly StackOptions options;
    private Dictionary<string, string> collectorEnv = [];
    private bool trafficSent;

    public StackFixture()
        : this(StackOptions.Fast)
    {
    }

    internal StackFixture(StackOptions options) => this.options = options;

    /// <summary>True when scrape/evaluation intervals, <c>for:</c> and Alertmanager waits are the shipped ones.</summary>
    public bool ShippedIntervals => options.ShippedIntervals;

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

    /// <summary>The mail server of the email receiver; Alertmanager authenticates with <see cref="SmtpPassword"/> from the password file.</summary>
    public SmtpSink Smtp { get; } = new();

    public string SmtpPassword { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public PrometheusApi Prometheus { get; private set; } = null!;

    public HttpClient Collector { get; private set; } = null!;

    public BackgroundProcess CollectorProcess { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var secrets = Directory.CreateDirectory(Path.Combine(Dir, "secrets")).FullName;
        Directory.CreateDirectory(Path.Combine(secrets, "alertmanager"));
        File.WriteAllText(Path.Combine(secrets, "api-key"), ApiKey + "\n");
        File.WriteAllText(Path.Combine(secrets, "alertmanager", "slack_api_url"), Listener.Url("slack") + "\n");
        // No trailing newline: Alertmanager 0.25 sends the password file's content as is.
        File.WriteAllText(Path.Combine(secrets, "alertmanager", "smtp_password"), SmtpPassword);

        collectorEnv = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = CollectorUrl,
            ["PerfOtel__Ingest__ApiKeys__0__Source"] = "e2e",
            ["PerfOtel__Ingest__ApiKeys__0__KeyFile"] = Path.Combine(secrets, "api-key"),
            ["PerfOtel__InstanceId"] = "e2e",
            ["PerfOtel__Thresholds__File"] = RepoPaths.Of("deploy", "thresholds", "thresholds.json"),
            // The stress tests send thousands of requests with one key.
            ["PerfOtel__Ingest__RateLimit__RequestsPerSecond"] = "100000",
            ["PerfOtel__Ingest__RateLimit__Burst"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // Component probes of the stack's servers and budgets, so that every dashboard panel has data (DemoFleetTraffic).
        foreach (var (name, value) in DemoFleetTraffic.CollectorSettings(this))
        {
            collectorEnv[name] = value;
        }

        CollectorProcess = Start("collector", "dotnet", [CollectorDll()], collectorEnv);
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

    /// <summary>Kills the collector process (a fault: Prometheus' scrapes of it fail from now on).</summary>
    public async Task StopCollectorAsync()
    {
        processes.Remove(CollectorProcess);
        await CollectorProcess.DisposeAsync();
    }

    /// <summary>Starts the collector again on the same port and key (after <see cref="StopCollectorAsync"/>) and waits until it is ready.</summary>
    public async Task RestartCollectorAsync()
    {
        if (processes.Contains(CollectorProcess))
        {
            throw new InvalidOperationException("the collector is still running");
        }

        CollectorProcess = Start("collector", "dotnet", [CollectorDll()], collectorEnv);
        await CollectorProcess.WaitForHttpOkAsync(CollectorUrl + "/readyz", TimeSpan.FromSeconds(60));
    }

    public string Diagnostics() => string.Join("\n\n", processes.Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes)
        {
            await p.DisposeAsync();
        }

        await Listener.DisposeAsync();
        await Smtp.DisposeAsync();
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
        (string, string)[] intervals = ShippedIntervals ? [] :
        [
            ("scrape_interval: 15s", "scrape_interval: 1s"),
            ("evaluation_interval: 15s", "evaluation_interval: 1s"),
        ];
        File.WriteAllText(Path.Combine(promDir, "prometheus.yml"), ConfigRenderer.Render(RepoPaths.Of("prometheus", "prometheus.yml"),
        [
            .. intervals,
            ("collector:8080", $"127.0.0.1:{CollectorPort}"),
            ("prometheus:9090", $"127.0.0.1:{PrometheusPort}"),
            ("alertmanager:9093", $"127.0.0.1:{AlertmanagerPort}"),
            ("node-exporter:9100", $"127.0.0.1:{NodeExporterPort}"),
        ]));
        var rulesDir = Directory.CreateDirectory(Path.Combine(promDir, "rules")).FullName;
        foreach (var rules in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            var text = File.ReadAllText(rules);
            File.WriteAllText(Path.Combine(rulesDir, Path.GetFileName(rules)), ShippedIntervals ? text : ConfigRenderer.ShortenFor(text, "1s"));
        }
    }

    private void RenderAlertmanager(string secrets)
    {
        var text = ConfigRenderer.Render(RepoPaths.Of("deploy", "alertmanager", "alertmanager.yml"),
        [
            ("http://collector:8080/v1/alerts", Listener.Url("webhook")),
            ("/run/perfotel/", secrets + "/"),
            // Never send mail off this machine: the local sink, which speaks no TLS.
            ("smtp.example.com:587", Smtp.SmartHost),
            ("require_tls: true", "require_tls: false"),
        ]);
        if (!ShippedIntervals)
        {
            // Every route's waits (each route sets its own).
            text = Regex.Replace(text, @"(?m)^(\s+group_wait:\s*)\S+", "${1}1s");
            text = Regex.Replace(text, @"(?m)^(\s+group_interval:\s*)\S+", "${1}2s");
        }

        File.WriteAllText(Path.Combine(Dir, "alertmanager.yml"), text);
    }

    /// <summary>The collector's built dll (the configuration of the tests), as the fixtures run it.</summary>
    internal static string CollectorDll()
    {
        // The test project references the collector, so it is built in the same configuration as the tests.
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepoPaths.Of("src", "PerfOtel.Collector", "bin", config, "net10.0", "PerfOtel.Collector.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("collector not built", dll);
    }
}

/// <summary>How a <see cref="StackFixture"/> renders the shipped configs.</summary>
internal sealed record StackOptions(bool ShippedIntervals)
{
    /// <summary>1 s scrape and evaluation, every <c>for:</c> 1 s, Alertmanager waits 1-2 s: alerts in seconds.</summary>
    public static readonly StackOptions Fast = new(ShippedIntervals: false);

    /// <summary>The configs exactly as shipped (only addresses and secret paths rewritten): real latencies.</summary>
    public static readonly StackOptions Shipped = new(ShippedIntervals: true);
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "real stack";
}
