using System.Globalization;
using System.Security.Cryptography;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// Three collector replicas (the built dll, as processes) behind the shipped HAProxy config
/// (deploy/production/loadbalancer/haproxy.cfg) and a real Prometheus that scrapes every replica directly as its own
/// target of job <c>perfotel-collector</c> (1 s scrape) and evaluates the shipped rules every second. All on 127.0.0.1
/// with free ports and a temp dir; everything is killed on dispose, also when a test failed.
/// </summary>
public sealed class ReplicaStackFixture : IAsyncLifetime
{
    public const int Replicas = 3;

    /// <summary>Response header naming the replica that answered (added by the test rendering only, see <see cref="RenderBalancer"/>).</summary>
    public const string ReplicaHeader = "X-PerfOtel-Replica";

    /// <summary>The team budget every replica is configured with (USD per day).</summary>
    public const double BudgetLimitUsd = 1234;

    private readonly List<BackgroundProcess> others = [];
    private readonly BackgroundProcess?[] collectors = new BackgroundProcess?[Replicas];
    private readonly int[] collectorPorts = [.. Enumerable.Range(0, Replicas).Select(_ => FreePort.Next())];

    public string Dir { get; } = Directory.CreateTempSubdirectory("perfotel-replicas-").FullName;

    public string ApiKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public int BalancerPort { get; } = FreePort.Next();

    public int PrometheusPort { get; } = FreePort.Next();

    public string BalancerUrl => $"http://127.0.0.1:{BalancerPort}";

    public PrometheusApi Prometheus { get; private set; } = null!;

    /// <summary>The server name of replica <paramref name="i"/> in the balancer (what <see cref="ReplicaHeader"/> carries).</summary>
    public static string ServerName(int i) => $"collector-{i + 1}";

    /// <summary>The Prometheus <c>instance</c> label of replica <paramref name="i"/>.</summary>
    public string Instance(int i) => $"127.0.0.1:{collectorPorts[i]}";

    public string CollectorUrl(int i) => $"http://127.0.0.1:{collectorPorts[i]}";

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(Path.Combine(Dir, "api-key"), ApiKey + "\n");
        var startup = TimeSpan.FromSeconds(90);
        await Task.WhenAll(Enumerable.Range(0, Replicas).Select(i => StartCollectorAsync(i, startup)));

        var balancer = StartOther("haproxy", "haproxy", ["-db", "-f", RenderBalancer()]);
        RenderPrometheus();
        var prom = StartOther("prometheus", "prometheus",
        [
            $"--config.file={Path.Combine(Dir, "prometheus", "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(Dir, "prom-data")}",
            $"--web.listen-address=127.0.0.1:{PrometheusPort}",
        ]);
        await Task.WhenAll(
            balancer.WaitForHttpOkAsync(BalancerUrl + "/lb/healthz", startup),
            prom.WaitForHttpOkAsync($"http://127.0.0.1:{PrometheusPort}/-/ready", startup));
        Prometheus = new PrometheusApi($"http://127.0.0.1:{PrometheusPort}");
        await Prometheus.WaitForValueAsync("count(up{job=\"perfotel-collector\"} == 1)", Replicas, TimeSpan.FromSeconds(60));
        await WaitUntilBalancerRoutesToAllAsync();
    }

    /// <summary>Kills replica <paramref name="i"/> at once (SIGKILL: whatever it counted since its last scrape is gone).</summary>
    public async Task KillReplicaAsync(int i)
    {
        var p = collectors[i] ?? throw new InvalidOperationException($"replica {i} is not running");
        collectors[i] = null;
        await p.DisposeAsync();
    }

    /// <summary>Starts replica <paramref name="i"/> again on its port and waits until the balancer sends it requests.</summary>
    public async Task RestartReplicaAsync(int i)
    {
        await StartCollectorAsync(i, TimeSpan.FromSeconds(90));
        await WaitUntilBalancerRoutesToAllAsync();
    }

    public bool IsRunning(int i) => collectors[i] is { HasExited: false };

    public string Diagnostics() => string.Join("\n\n",
        collectors.OfType<BackgroundProcess>().Concat(others).Select(p => $"--- {p.Name} ---\n{p.RecentOutput}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in collectors.OfType<BackgroundProcess>().Concat(others))
        {
            await p.DisposeAsync();
        }

        Prometheus?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException) { }
    }

    private async Task StartCollectorAsync(int i, TimeSpan timeout)
    {
        if (collectors[i] is not null)
        {
            throw new InvalidOperationException($"replica {i} is still running");
        }

        // The same configuration on every replica, as a deployment would have it: thresholds, a budget and a probed
        // component are gauges that every replica exposes identically (the rules must not add them up).
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = CollectorUrl(i),
            ["PerfOtel__Ingest__ApiKeys__0__Source"] = "replicas",
            ["PerfOtel__Ingest__ApiKeys__0__KeyFile"] = Path.Combine(Dir, "api-key"),
            ["PerfOtel__InstanceId"] = ServerName(i),
            ["PerfOtel__Thresholds__File"] = RepoPaths.Of("deploy", "thresholds", "thresholds.json"),
            // 16 clients through one key: the per-key rate limit is not what this test is about.
            ["PerfOtel__Ingest__RateLimit__RequestsPerSecond"] = "100000",
            ["PerfOtel__Ingest__RateLimit__Burst"] = "100000",
            ["PerfOtel__Budgets__0__Scope"] = "team",
            ["PerfOtel__Budgets__0__Name"] = "lb-team-0",
            ["PerfOtel__Budgets__0__Period"] = "daily",
            ["PerfOtel__Budgets__0__LimitUsd"] = BudgetLimitUsd.ToString(CultureInfo.InvariantCulture),
            ["PerfOtel__Probes__IntervalSeconds"] = "1",
            ["PerfOtel__Probes__TimeoutSeconds"] = "0.5",
            ["PerfOtel__Probes__Components__0__Name"] = "loadbalancer",
            ["PerfOtel__Probes__Components__0__Kind"] = "http",
            ["PerfOtel__Probes__Components__0__Url"] = BalancerUrl + "/lb/healthz",
            ["PerfOtel__Probes__Components__0__Weight"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var p = BackgroundProcess.Start(ServerName(i), "dotnet", [StackFixture.CollectorDll()], env, Dir);
        collectors[i] = p;
        await p.WaitForHttpOkAsync(CollectorUrl(i) + "/readyz", timeout);
    }

    private BackgroundProcess StartOther(string name, string file, string[] args)
    {
        var p = BackgroundProcess.Start(name, file, args, workingDirectory: Dir);
        others.Add(p);
        return p;
    }

    /// <summary>
    /// The shipped balancer config with loopback addresses, plus (test only) a response header naming the replica
    /// that answered, so a test can tell which replica accepted each batch. Shipping that header would tell every
    /// client the internal topology.
    /// </summary>
    private string RenderBalancer()
    {
        var path = Path.Combine(Dir, "haproxy.cfg");
        File.WriteAllText(path, ConfigRenderer.Render(RepoPaths.Of("deploy", "production", "loadbalancer", "haproxy.cfg"),
        [
            ("bind :8080", $"bind 127.0.0.1:{BalancerPort}"),
            .. Enumerable.Range(0, Replicas).Select(i => ($"{ServerName(i)}:8080", $"127.0.0.1:{collectorPorts[i]}")),
            ("    default_backend collectors", $"    http-response set-header {ReplicaHeader} %[srv_name]\n    default_backend collectors"),
        ]));
        return path;
    }

    /// <summary>
    /// Only the collector job (each replica a target, as production scrapes them) and the shipped rules with every
    /// group's interval at 1 s, so the hourly rollups the reports read are evaluated within the test.
    /// </summary>
    private void RenderPrometheus()
    {
        var promDir = Directory.CreateDirectory(Path.Combine(Dir, "prometheus")).FullName;
        var targets = string.Join(", ", Enumerable.Range(0, Replicas).Select(i => $"'{Instance(i)}'"));
        File.WriteAllText(Path.Combine(promDir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - rules/*.yml
            scrape_configs:
              - job_name: perfotel-collector
                static_configs:
                  - targets: [{targets}]
            """);
        var rulesDir = Directory.CreateDirectory(Path.Combine(promDir, "rules")).FullName;
        foreach (var rules in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            File.WriteAllText(Path.Combine(rulesDir, Path.GetFileName(rules)), ConfigRenderer.ShortenFor(File.ReadAllText(rules), "1s"));
        }
    }

    /// <summary>
    /// Waits until a request through the balancer has been answered by every running replica (a replica that was
    /// just started counts only after HAProxy's health check brought it back). GET /v1/events is answered 405 by
    /// a replica and counts nothing.
    /// </summary>
    private async Task WaitUntilBalancerRoutesToAllAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var expected = Enumerable.Range(0, Replicas).Where(IsRunning).Select(ServerName).ToHashSet();
        while (!expected.IsSubsetOf(seen))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the balancer routed only to {string.Join(", ", seen)} within 60 s\n{Diagnostics()}");
            }

            try
            {
                using var r = await http.GetAsync(BalancerUrl + "/v1/events");
                if (r.Headers.TryGetValues(ReplicaHeader, out var names))
                {
                    seen.UnionWith(names);
                }
            }
            catch (HttpRequestException) { }

            await Task.Delay(50);
        }
    }
}
