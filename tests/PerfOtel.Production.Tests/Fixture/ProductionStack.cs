using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Production.Tests.Fixture;

/// <summary>
/// The production profile on 127.0.0.1 with free ports and a temp dir, from the shipped files: secrets made by
/// deploy/production/make-secrets.sh, deploy/production/prometheus/prometheus.yml for two replicas (one file, the
/// replica from the environment), the shipped rules, three Alertmanager peers gossiping (shipped routing through
/// deploy/production/alertmanager/production.sed), VictoriaMetrics single node with dedup and the replica label
/// dropped, the built collector over HTTPS with /metrics behind basic auth, node_exporter, and a local listener as
/// webhook and Slack endpoint. Intervals are 1 s (scrape, evaluation, every <c>for:</c>) and Alertmanager waits
/// 1-2 s; everything else (TLS, auth, peer timeout, dedup) is as shipped. Every process is killed on dispose.
/// </summary>
public sealed class ProductionStack : IAsyncLifetime
{
    public const string Cluster = "perfotel-test";

    /// <summary>Alertmanager's group_interval in the tests: more than 2 x the shipped 15 s peer timeout.</summary>
    public static readonly TimeSpan GroupInterval = TimeSpan.FromSeconds(35);

    /// <summary>The test-only alert: a custom gauge the tests set, named by its <c>component</c> (one group per incident).</summary>
    private const string TestRules = """
        groups:
          - name: production-tests
            rules:
              - alert: ProductionTestIncident
                expr: max by (incident) (ha_incident) > 0
                labels:
                  severity: warning
                  component: '{{ $labels.incident }}'
                annotations:
                  summary: test incident {{ $labels.incident }}
        """;

    private readonly Dictionary<string, BackgroundProcess> processes = [];

    public string Dir { get; } = Directory.CreateTempSubdirectory("perfotel-prod-").FullName;

    /// <summary>Stands for /run/perfotel/ of the shipped files.</summary>
    public string RunDir => Path.Combine(Dir, "run");

    /// <summary>make-secrets.sh's output (compose: /run/perfotel/production).</summary>
    public string Secrets => Path.Combine(RunDir, "production");

    public string CaFile => Path.Combine(Secrets, "tls", "ca.crt");

    public string ApiKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public int CollectorPort { get; } = FreePort.Next();

    public int[] PrometheusPorts { get; } = [FreePort.Next(), FreePort.Next()];

    public int[] AlertmanagerPorts { get; } = [FreePort.Next(), FreePort.Next(), FreePort.Next()];

    public int[] ClusterPorts { get; } = [FreePort.Next(), FreePort.Next(), FreePort.Next()];

    public int VictoriaMetricsPort { get; } = FreePort.Next();

    public int NodeExporterPort { get; } = FreePort.Next();

    public static readonly string[] Replicas = ["a", "b"];

    public string CollectorUrl => $"https://127.0.0.1:{CollectorPort}";

    public string PrometheusUrl(int i) => $"https://127.0.0.1:{PrometheusPorts[i]}";

    public string AlertmanagerUrl(int i) => $"https://127.0.0.1:{AlertmanagerPorts[i]}";

    public string VictoriaMetricsUrl => $"https://127.0.0.1:{VictoriaMetricsPort}";

    public WebhookListener Listener { get; } = new();

    public string Password(string user) => File.ReadAllText(Path.Combine(Secrets, "passwords", user));

    public string PasswordFile(string user) => Path.Combine(Secrets, "passwords", user);

    public string PrometheusDataDir(int i) => Path.Combine(Dir, $"prom-data-{Replicas[i]}");

    public SecureApi[] Prometheus { get; private set; } = [];

    public SecureApi[] Alertmanager { get; private set; } = [];

    public SecureApi VictoriaMetrics { get; private set; } = null!;

    public SecureApi Collector { get; private set; } = null!;

    /// <summary>When the stack was up with every target scraped (for range queries that must not start before it).</summary>
    public DateTimeOffset ReadyAt { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var made = await ToolRun.RunAsync("bash", [RepoPaths.Of("deploy", "production", "make-secrets.sh"), Secrets]);
        Assert.True(made.ExitCode == 0, "make-secrets.sh failed: " + made.Output);
        Directory.CreateDirectory(Path.Combine(RunDir, "alertmanager"));
        File.WriteAllText(Path.Combine(RunDir, "api-key"), ApiKey);
        File.WriteAllText(Path.Combine(RunDir, "alertmanager", "slack_api_url"), Listener.Url("slack"));
        File.WriteAllText(Path.Combine(RunDir, "alertmanager", "smtp_password"), "");

        var promConfig = RenderPrometheus();
        var amConfig = await RenderAlertmanagerAsync();

        StartVictoriaMetrics();
        Start("collector", "dotnet", [BuiltDll("PerfOtel.Collector")], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = CollectorUrl,
            ["Kestrel__Certificates__Default__Path"] = Path.Combine(Secrets, "tls", "tls.crt"),
            ["Kestrel__Certificates__Default__KeyPath"] = Path.Combine(Secrets, "tls", "tls.key"),
            ["PerfOtel__Metrics__PasswordFile"] = PasswordFile("prometheus"),
            ["PerfOtel__Ingest__ApiKeys__0__Source"] = "production-tests",
            ["PerfOtel__Ingest__ApiKeys__0__KeyFile"] = Path.Combine(RunDir, "api-key"),
            ["PerfOtel__Ingest__RateLimit__RequestsPerSecond"] = "100000",
            ["PerfOtel__Ingest__RateLimit__Burst"] = "100000",
            ["PerfOtel__InstanceId"] = "production-tests",
            ["PerfOtel__Thresholds__File"] = RepoPaths.Of("deploy", "thresholds", "thresholds.json"),
            ["PerfOtel__CustomMetrics__Metrics__0__Name"] = "ha.incident",
            ["PerfOtel__CustomMetrics__Metrics__0__Kind"] = "gauge",
            ["PerfOtel__CustomMetrics__Metrics__0__Labels__0"] = "incident",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        Start("node_exporter", "prometheus-node-exporter",
        [
            $"--web.listen-address=127.0.0.1:{NodeExporterPort}", $"--web.config.file={WebConfig}",
            "--collector.disable-defaults", "--collector.loadavg",
        ]);
        for (var i = 0; i < 3; i++)
        {
            var peers = Enumerable.Range(0, 3).Where(j => j != i).Select(j => $"--cluster.peer=127.0.0.1:{ClusterPorts[j]}");
            Start($"alertmanager-{i + 1}", "prometheus-alertmanager",
            [
                $"--config.file={amConfig}", $"--storage.path={Path.Combine(Dir, $"am-data-{i + 1}")}",
                $"--web.listen-address=127.0.0.1:{AlertmanagerPorts[i]}", $"--web.config.file={WebConfig}",
                $"--web.external-url={AlertmanagerUrl(i)}",
                $"--cluster.listen-address=127.0.0.1:{ClusterPorts[i]}", .. peers,
                "--cluster.settle-timeout=2s", "--cluster.gossip-interval=200ms",
            ]);
        }

        for (var i = 0; i < 2; i++)
        {
            StartPrometheus(i, promConfig);
        }

        Collector = new SecureApi(CollectorUrl, CaFile, "prometheus", Password("prometheus"));
        Prometheus = [.. Enumerable.Range(0, 2).Select(i => new SecureApi(PrometheusUrl(i), CaFile, "admin", Password("admin")))];
        Alertmanager = [.. Enumerable.Range(0, 3).Select(i => new SecureApi(AlertmanagerUrl(i), CaFile, "admin", Password("admin")))];
        VictoriaMetrics = new SecureApi(VictoriaMetricsUrl, CaFile, "prometheus", Password("prometheus"));

        var startup = TimeSpan.FromSeconds(120);
        await WaitHealthyAsync(Collector, "/readyz", "collector", startup);
        await WaitHealthyAsync(VictoriaMetrics, "/health", "victoriametrics", startup);
        for (var i = 0; i < 3; i++)
        {
            await WaitHealthyAsync(Alertmanager[i], "/-/ready", $"alertmanager-{i + 1}", startup);
        }

        for (var i = 0; i < 2; i++)
        {
            await WaitHealthyAsync(Prometheus[i], "/-/ready", $"prometheus-{Replicas[i]}", startup);
        }

        await WaitForClusterAsync(3, startup);
        // Every target of every job up, over https, in both replicas: collector, 2 Prometheus, 3 Alertmanager, VM, node.
        foreach (var prom in Prometheus)
        {
            await Poll.UntilAsync(async () => await prom.ScalarAsync("count(up == 1)") == 8, startup,
                () => $"{prom.BaseUrl}: not all 8 targets up\n{Diagnostics()}");
        }

        ReadyAt = DateTimeOffset.UtcNow;
    }

    private string WebConfig => Path.Combine(Secrets, "web-config.yml");

    public void StartVictoriaMetrics() =>
        Start("victoriametrics", "victoria-metrics",
        [
            $"-httpListenAddr=127.0.0.1:{VictoriaMetricsPort}", $"-storageDataPath={Path.Combine(Dir, "vm-data")}",
            "-retentionPeriod=13", "-dedup.minScrapeInterval=1s",
            $"-relabelConfig={RepoPaths.Of("deploy", "production", "victoriametrics", "relabel.yml")}",
            "-tls", $"-tlsCertFile={Path.Combine(Secrets, "tls", "tls.crt")}", $"-tlsKeyFile={Path.Combine(Secrets, "tls", "tls.key")}",
            "-httpAuth.username=prometheus", "-envflag.enable",
            // Tests read fresh data: VictoriaMetrics hides the newest 30 s by default.
            "-search.latencyOffset=1s",
        ],
        // The password from the environment (-envflag.enable), never on the command line.
        new Dictionary<string, string> { ["httpAuth_password"] = Password("prometheus") });

    public void StartPrometheus(int i, string? config = null) =>
        Start($"prometheus-{Replicas[i]}", "prometheus",
        [
            $"--config.file={config ?? Path.Combine(Dir, "prom-config", "prometheus.yml")}", $"--storage.tsdb.path={PrometheusDataDir(i)}",
            "--storage.tsdb.retention.time=15d", "--enable-feature=expand-external-labels",
            $"--web.listen-address=127.0.0.1:{PrometheusPorts[i]}", $"--web.config.file={WebConfig}",
            $"--web.external-url={PrometheusUrl(i)}",
        ],
        new Dictionary<string, string> { ["PERFOTEL_CLUSTER"] = Cluster, ["PERFOTEL_PROMETHEUS_REPLICA"] = Replicas[i] });

    /// <summary>SIGKILL: the process gets no chance to flush, deregister or say goodbye.</summary>
    public async Task KillAsync(string name)
    {
        var p = processes[name];
        processes.Remove(name);
        await p.DisposeAsync();
    }

    /// <summary>SIGTERM and wait for the exit (a clean stop: VictoriaMetrics flushes what it holds).</summary>
    public async Task StopAsync(string name)
    {
        var p = processes[name];
        await ToolRun.RunAsync("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await Poll.UntilAsync(() => Task.FromResult(p.HasExited), TimeSpan.FromSeconds(60), () => $"{name} did not stop on SIGTERM");
        processes.Remove(name);
        await p.DisposeAsync();
    }

    public async Task WaitHealthyAsync(SecureApi api, string path, string name, TimeSpan timeout) =>
        await Poll.UntilAsync(
            async () =>
            {
                if (processes.TryGetValue(name, out var p) && p.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited:\n{p.RecentOutput}");
                }

                return (await api.SendAsync(HttpMethod.Get, path)).Status == HttpStatusCode.OK;
            },
            timeout,
            () => $"{name} did not answer {api.BaseUrl}{path}\n{Diagnostics()}");

    /// <summary>Until every live Alertmanager peer reports a ready cluster of <paramref name="peers"/> members.</summary>
    public async Task WaitForClusterAsync(int peers, TimeSpan timeout)
    {
        foreach (var (am, i) in Alertmanager.Select((a, i) => (a, i)).Where(x => processes.ContainsKey($"alertmanager-{x.i + 1}")))
        {
            await Poll.UntilAsync(
                async () =>
                {
                    var cluster = (await am.GetJsonAsync("/api/v2/status")).GetProperty("cluster");
                    return cluster.GetProperty("status").GetString() == "ready" && cluster.GetProperty("peers").GetArrayLength() == peers;
                },
                timeout,
                () => $"alertmanager-{i + 1}: cluster not ready with {peers} peers");
        }
    }

    public bool IsRunning(string name) => processes.ContainsKey(name);

    public async Task PostEventsAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var http = new HttpClient(SecureApi.TrustingHandler(CaFile)) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, CollectorUrl + "/v1/events") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var r = await http.SendAsync(request);
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"ingest answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>Sets the test incident's gauge: 1 fires ProductionTestIncident{component=name} on both replicas, 0 resolves it.</summary>
    public Task SetIncidentAsync(string name, int value) =>
        PostEventsAsync($$$"""{"events":[{"type":"metric","name":"ha.incident","value":{{{value}}},"labels":{"incident":"{{{name}}}"}}]}""");

    /// <summary>Webhook notifications (the alert log receiver) for one incident's group, with their status.</summary>
    public List<(string Status, DateTimeOffset At)> Notifications(string incident) =>
        [.. Listener.Received
            .Where(r => r.Path == "/webhook"
                && r.Body.GetProperty("groupLabels").TryGetProperty("component", out var c) && c.GetString() == incident)
            .Select(r => (r.Body.GetProperty("status").GetString()!, r.At))];

    /// <summary>Every webhook notification for the incident: when, which peer sent it, status and alerts, for failure messages and the log.</summary>
    public string NotificationLog(string incident) => string.Join("\n", Listener.Received
        .Where(r => r.Path == "/webhook" && r.Body.GetProperty("groupLabels").TryGetProperty("component", out var c) && c.GetString() == incident)
        .Select(r => $"{r.At:HH:mm:ss.fff} from {r.Body.GetProperty("externalURL").GetString()} {r.Body.GetProperty("status").GetString()} "
            + string.Join(" ", r.Body.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("status").GetString() + "@" + a.GetProperty("startsAt").GetString())) + " key " + r.Body.GetProperty("groupKey").GetString()));

    /// <summary>Slack messages naming the incident's group.</summary>
    public int SlackMessages(string incident) =>
        Listener.Received.Count(r => r.Path == "/slack" && r.Body.GetRawText().Contains($"component={incident}", StringComparison.Ordinal));

    public string Diagnostics() => string.Join("\n\n", processes.Values.Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes.Values)
        {
            await p.DisposeAsync();
        }

        processes.Clear();
        await Listener.DisposeAsync();
        foreach (var api in Prometheus.Concat(Alertmanager))
        {
            api.Dispose();
        }

        VictoriaMetrics?.Dispose();
        Collector?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException) { }
    }

    private void Start(string name, string file, string[] args, Dictionary<string, string>? env = null) =>
        processes[name] = BackgroundProcess.Start(name, file, args, env, Dir);

    private string RenderPrometheus()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Dir, "prom-config")).FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, ConfigRenderer.Render(RepoPaths.Of("deploy", "production", "prometheus", "prometheus.yml"),
        [
            ("scrape_interval: 15s", "scrape_interval: 1s"),
            ("evaluation_interval: 15s", "evaluation_interval: 1s"),
            ("collector:8080", $"127.0.0.1:{CollectorPort}"),
            ("prometheus-a:9090", $"127.0.0.1:{PrometheusPorts[0]}"),
            ("prometheus-b:9090", $"127.0.0.1:{PrometheusPorts[1]}"),
            ("alertmanager-1:9093", $"127.0.0.1:{AlertmanagerPorts[0]}"),
            ("alertmanager-2:9093", $"127.0.0.1:{AlertmanagerPorts[1]}"),
            ("alertmanager-3:9093", $"127.0.0.1:{AlertmanagerPorts[2]}"),
            ("victoriametrics:8428", $"127.0.0.1:{VictoriaMetricsPort}"),
            ("node-exporter:9100", $"127.0.0.1:{NodeExporterPort}"),
            ("/run/perfotel/", RunDir + "/"),
        ]));
        var rules = Directory.CreateDirectory(Path.Combine(dir, "rules")).FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            File.WriteAllText(Path.Combine(rules, Path.GetFileName(file)), ConfigRenderer.ShortenFor(File.ReadAllText(file), "1s"));
        }

        File.WriteAllText(Path.Combine(rules, "production-tests.yml"), TestRules);
        return config;
    }

    private async Task<string> RenderAlertmanagerAsync()
    {
        // The shipped transformation, with the real sed.
        var sed = await ToolRun.RunAsync("sed", ["-E", "-f", RepoPaths.Of("deploy", "production", "alertmanager", "production.sed"), RepoPaths.Of("deploy", "alertmanager", "alertmanager.yml")]);
        Assert.True(sed.ExitCode == 0, sed.Output);
        var production = Path.Combine(Dir, "alertmanager-production.yml");
        File.WriteAllText(production, sed.StdOut);
        var text = ConfigRenderer.Render(production,
        [
            ("https://collector:8080/v1/alerts", Listener.Url("webhook")),
            ("/run/perfotel/", RunDir + "/"),
        ]);
        // Every route's first wait shortened (each route sets its own); repeat intervals stay as shipped (hours).
        // group_interval stays above (peers - 1) x peer timeout (2 x 15 s), as every shipped route's does: a peer
        // that flushed a group before it resolved still waits out its peer timeout with the old state, and would
        // then send a stale "firing" after the resolution (prometheus/alertmanager#2447). docs/PRODUCTION.md.
        text = Regex.Replace(text, @"(?m)^(\s+group_wait:\s*)\S+", "${1}1s");
        text = Regex.Replace(text, @"(?m)^(\s+group_interval:\s*)\S+", "${1}" + GroupInterval.TotalSeconds + "s");
        var path = Path.Combine(Dir, "alertmanager.yml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string BuiltDll(string project, string? assembly = null)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepoPaths.Of("src", project, "bin", config, "net10.0", (assembly ?? project) + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{project} not built", dll);
    }

    public static string ReportsDll => BuiltDll("PerfOtel.Reports", "perfotel-reports");
}
