using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Stack.Tests;

/// <summary>
/// Backup and restore with the shipped scripts of deploy/production/backup against the real servers, behind TLS and
/// basic auth as in the production profile: back up, write more, stop, wipe the data dir, restore, start, and compare
/// every raw sample. Each test starts its own servers on free loopback ports in a temp dir and stops them at the end.
/// </summary>
public sealed class BackupRestoreTests : IAsyncDisposable
{
    private const string ProbeAgent = "backup-probe";

    private readonly List<BackgroundProcess> servers = [];
    private readonly string dir = Directory.CreateTempSubdirectory("perfotel-backup-").FullName;

    [Fact]
    public async Task VictoriaMetrics_restore_brings_back_every_sample_of_the_backup_and_nothing_written_after_it()
    {
        var tls = TlsBasicAuth.Create(dir);
        var dataDir = Path.Combine(dir, "vm-data");
        var backupDir = Path.Combine(dir, "vm-backup");
        var (vm, url) = await StartVictoriaMetricsAsync(tls, dataDir);
        using var http = tls.Client(url);
        var api = new VictoriaMetricsApi(http);

        // 20 counters x 12 h at 10 s = 86,400 samples ending 5 minutes ago, growing by seeded random steps (data
        // that compresses like real counters, not like a straight line).
        const int SeriesCount = 20, PerSeries = 4320;
        const long StepMs = 10_000;
        var end = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() / StepMs * StepMs;
        var written = Enumerable.Range(0, SeriesCount).Select(s => CounterSeries(s, end, StepMs, PerSeries)).ToList();
        await api.ImportAsync(written);
        const string Selector = "{__name__=~\"perfotel_backup_.*\"}";
        await api.WaitForSampleCountAsync(Selector, SeriesCount * PerSeries, TimeSpan.FromSeconds(30));

        var (backupOut, backupTime) = await BackupScripts.RunOkAsync("backup-victoriametrics.sh", ["--url", url, "--data-dir", dataDir, "--dst", backupDir, .. tls.ScriptArgs]);
        Assert.Contains("backed up to " + backupDir, backupOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(backupDir, "backup_complete.ignore")), "no complete vmbackup backup in " + backupDir);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dataDir, "snapshots"))); // the script deleted its snapshot

        // Written after the backup: a new series and a newer sample of an old one. Both are visible now...
        var late = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        await api.ImportAsync(
        [
            new(new(StringComparer.Ordinal) { ["__name__"] = "perfotel_backup_late", ["gen_ai_agent_name"] = "late" }, new() { [late] = 42 }),
            new(new(written[0].Labels, StringComparer.Ordinal), new() { [late] = -1 }),
        ]);
        var beforeWipe = await api.WaitForSampleCountAsync(Selector, (SeriesCount * PerSeries) + 2, TimeSpan.FromSeconds(30));
        Assert.Equal(SeriesCount + 1, beforeWipe.Count);
        var query = "sum(count_over_time(perfotel_backup_samples[1d]))";
        Assert.Equal((SeriesCount * PerSeries) + 1, await api.ScalarAsync(query, DateTimeOffset.UtcNow));

        // The restore script refuses to touch the data dir of a running server, and the backup script a wrong password.
        await BackupScripts.RunFailingAsync(1, "stop it first", "restore-victoriametrics.sh", "--src", backupDir, "--data-dir", dataDir, "--force");
        var wrongPassword = Path.Combine(dir, "wrong-password");
        File.WriteAllText(wrongPassword, "not-the-password\n");
        await BackupScripts.RunFailingAsync(1, "answered 401", "backup-victoriametrics.sh",
            "--url", url, "--data-dir", dataDir, "--dst", Path.Combine(dir, "unused"), "--user", TlsBasicAuth.User, "--password-file", wrongPassword, "--cacert", tls.CertFile);

        // ...and gone after: stop, wipe, restore, start.
        await StopAsync(vm);
        Directory.Delete(dataDir, recursive: true);
        var (_, restoreTime) = await BackupScripts.RunOkAsync("restore-victoriametrics.sh", "--src", backupDir, "--data-dir", dataDir);
        (_, url) = await StartVictoriaMetricsAsync(tls, dataDir);
        using var restoredHttp = tls.Client(url);
        var restored = new VictoriaMetricsApi(restoredHttp);

        var back = await restored.ExportAsync(Selector);
        Assert.Equal(written.Select(s => s.Key).Order(StringComparer.Ordinal), back.Keys.Order(StringComparer.Ordinal)); // no late series
        foreach (var series in written)
        {
            Assert.Equal(series.Samples, back[series.Key].Samples); // every timestamp and value, nothing later
        }

        Assert.Equal(SeriesCount * PerSeries, await restored.ScalarAsync(query, DateTimeOffset.UtcNow));
        Assert.Equal(written[0].Samples.Values.Sum(), await restored.ScalarAsync("sum_over_time(perfotel_backup_samples{gen_ai_agent_name=\"agent-00\"}[1d])", DateTimeOffset.UtcNow));

        Report($"VictoriaMetrics: {SeriesCount * PerSeries} samples in {SeriesCount} series; backup {backupTime.TotalSeconds:F1} s, "
            + $"{DirectorySize(backupDir)} bytes; restore {restoreTime.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Prometheus_snapshot_restore_brings_back_the_scraped_history_exactly_and_nothing_written_after_it()
    {
        var tls = TlsBasicAuth.Create(dir);
        var dataDir = Path.Combine(dir, "prom-data");
        var backupDir = Path.Combine(dir, "prom-backup");
        var (collector, collectorAddress, ingestClient) = await StartCollectorAsync();
        using var ingest = ingestClient;
        var webConfig = await tls.WritePrometheusWebConfigAsync(dir);
        var (prometheus, url) = await StartPrometheusAsync(tls, webConfig, collectorAddress, dataDir);
        using var http = tls.Client(url);

        // Known events, scraped every second by the real Prometheus.
        await PostAsync(ingest, $$"""
            {"events":[
              {"type":"run","agent":"{{ProbeAgent}}","outcome":"success","duration_seconds":4},
              {"type":"run","agent":"{{ProbeAgent}}","outcome":"success","duration_seconds":40},
              {"type":"run","agent":"{{ProbeAgent}}","outcome":"failure","error_category":"timeout","duration_seconds":400},
              {"type":"llm_call","agent":"{{ProbeAgent}}","provider":"openai","model":"gpt-backup","operation":"chat","input_tokens":1000,"output_tokens":250,"duration_seconds":1.5}
            ]}
            """);
        var runs = $"sum(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{ProbeAgent}\"}})";
        var successes = $"sum(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{ProbeAgent}\",agent_run_outcome=\"success\"}})";
        await PrometheusRawSamples.WaitForValueAsync(http, runs, 3, TimeSpan.FromSeconds(30));
        // A few more scrapes of history, then a reference time whose samples are all committed before the snapshot
        // (a scrape started at or before it ended within the 1 s scrape timeout).
        await PrometheusRawSamples.WaitForValueAsync(http, $"count_over_time(agent_run_duration_seconds_count{{gen_ai_agent_name=\"{ProbeAgent}\",agent_run_outcome=\"failure\"}}[1m]) >= bool 8", 1, TimeSpan.FromSeconds(30));
        var reference = DateTimeOffset.UtcNow.AddSeconds(-3);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var (archive, backupTime) = await BackupScripts.RunOkAsync("backup-prometheus.sh", ["--url", url, "--data-dir", dataDir, "--dst", backupDir, .. tls.ScriptArgs]);
        archive = archive.Trim().Split('\n')[^1];
        Assert.Matches(@"/prometheus-\d{8}T\d{6}Z-[0-9a-f]+\.tar\.gz$", archive);
        Assert.True(File.Exists(archive), "no archive " + archive);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dataDir, "snapshots"))); // the script deleted its snapshot

        var window = TimeSpan.FromMinutes(10);
        var history = await PrometheusRawSamples.AllAsync(http, reference, window);
        Assert.True(history.Count > 50, $"only {history.Count} series scraped");
        Assert.Equal(3, await PrometheusRawSamples.ScalarAsync(http, runs, reference));
        Assert.Equal(2, await PrometheusRawSamples.ScalarAsync(http, successes, reference));
        Assert.Equal(1000, await PrometheusRawSamples.ScalarAsync(http, $"sum(gen_ai_client_token_usage_sum{{gen_ai_agent_name=\"{ProbeAgent}\",gen_ai_token_type=\"input\"}})", reference));

        // Written after the snapshot: two more successful runs, visible now...
        await PostAsync(ingest, $$"""
            {"events":[
              {"type":"run","agent":"{{ProbeAgent}}","outcome":"success","duration_seconds":5},
              {"type":"run","agent":"{{ProbeAgent}}","outcome":"success","duration_seconds":6}
            ]}
            """);
        await PrometheusRawSamples.WaitForValueAsync(http, successes, 4, TimeSpan.FromSeconds(30));
        await BackupScripts.RunFailingAsync(1, "stop it first", "restore-prometheus.sh", "--archive", archive, "--data-dir", dataDir, "--force");

        // ...and gone after: stop (the collector too, so that nothing new is scraped), wipe, restore, start.
        await StopAsync(collector);
        await StopAsync(prometheus);
        Directory.Delete(dataDir, recursive: true);
        var (_, restoreTime) = await BackupScripts.RunOkAsync("restore-prometheus.sh", "--archive", archive, "--data-dir", dataDir);
        (_, url) = await StartPrometheusAsync(tls, webConfig, collectorAddress, dataDir);
        using var restoredHttp = tls.Client(url);

        var restored = await PrometheusRawSamples.AllAsync(restoredHttp, reference, window);
        Assert.Equal(history.Keys.Order(StringComparer.Ordinal), restored.Keys.Order(StringComparer.Ordinal));
        var differing = history.Values.Where(s => !s.Samples.SequenceEqual(restored[s.Key].Samples)).Select(s => s.Key).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} series differ after the restore, e.g. {differing.FirstOrDefault()}");
        Assert.Equal(3, await PrometheusRawSamples.ScalarAsync(restoredHttp, runs, reference));
        Assert.Equal(2, await PrometheusRawSamples.ScalarAsync(restoredHttp, $"max_over_time({successes}[15m:1s])"));

        Report($"Prometheus: {history.Count} series, {history.Values.Sum(s => s.Samples.Count)} samples; backup {backupTime.TotalSeconds:F1} s, "
            + $"{new FileInfo(archive).Length} bytes archived; restore {restoreTime.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Scripts_refuse_bad_input_with_a_one_line_error_and_a_non_zero_exit()
    {
        var notATar = Path.Combine(dir, "not-a-snapshot.tar.gz");
        File.WriteAllText(notATar, "plain text");
        var promData = Directory.CreateDirectory(Path.Combine(dir, "prom-data", "wal")).Parent!.FullName;
        var emptyDir = Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName;

        await BackupScripts.RunFailingAsync(2, "--url is required", "backup-victoriametrics.sh");
        await BackupScripts.RunFailingAsync(2, "unknown argument: --bogus", "backup-victoriametrics.sh", "--bogus");
        await BackupScripts.RunFailingAsync(2, "--dst needs a value", "backup-victoriametrics.sh", "--url", "http://127.0.0.1:1", "--data-dir", emptyDir, "--dst");
        await BackupScripts.RunFailingAsync(1, "must start with http", "backup-victoriametrics.sh", "--url", "ftp://x", "--data-dir", emptyDir, "--dst", dir);
        await BackupScripts.RunFailingAsync(1, "is not a VictoriaMetrics data dir", "backup-victoriametrics.sh", "--url", "http://127.0.0.1:1", "--data-dir", emptyDir, "--dst", dir);
        await BackupScripts.RunFailingAsync(2, "--src is required", "restore-victoriametrics.sh", "--data-dir", emptyDir);
        await BackupScripts.RunFailingAsync(1, "not a complete vmbackup backup", "restore-victoriametrics.sh", "--src", emptyDir, "--data-dir", Path.Combine(dir, "x"));
        await BackupScripts.RunFailingAsync(2, "--dst is required", "backup-prometheus.sh", "--url", "http://127.0.0.1:1", "--data-dir", promData);
        await BackupScripts.RunFailingAsync(1, "is not a Prometheus data dir", "backup-prometheus.sh", "--url", "http://127.0.0.1:1", "--data-dir", emptyDir, "--dst", dir);
        await BackupScripts.RunFailingAsync(1, "cannot read the password file", "backup-prometheus.sh",
            "--url", "http://127.0.0.1:1", "--data-dir", promData, "--dst", Path.Combine(dir, "out"), "--user", "u", "--password-file", Path.Combine(dir, "missing"));
        await BackupScripts.RunFailingAsync(1, "--user and --password-file go together", "backup-prometheus.sh",
            "--url", "http://127.0.0.1:1", "--data-dir", promData, "--dst", Path.Combine(dir, "out"), "--user", "u");
        // Nothing listens on port 1: curl's own reason, on one line.
        await BackupScripts.RunFailingAsync(1, "Failed to connect", "backup-prometheus.sh", "--url", "http://127.0.0.1:1", "--data-dir", promData, "--dst", Path.Combine(dir, "out"));
        await BackupScripts.RunFailingAsync(1, "not a readable tar.gz", "restore-prometheus.sh", "--archive", notATar, "--data-dir", Path.Combine(dir, "restored"));
        await BackupScripts.RunFailingAsync(1, "is not empty", "restore-prometheus.sh", "--archive", notATar, "--data-dir", promData);
        Assert.False(Directory.Exists(Path.Combine(dir, "restored")), "a failed restore left a data dir behind");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in servers)
        {
            await s.DisposeAsync();
        }

        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
    }

    /// <summary>Counter number INDEX: PER_SERIES samples STEP_MS apart up to END, each a seeded random 0-49 above the last.</summary>
    private static RawSeries CounterSeries(int index, long end, long stepMs, int perSeries)
    {
        var random = new Random(index);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["__name__"] = "perfotel_backup_samples",
            ["gen_ai_agent_name"] = $"agent-{index:D2}",
            ["agent_team"] = $"team-{index % 3}",
        };
        var samples = new SortedDictionary<long, double>();
        double value = index * 1_000_000;
        for (var i = 0; i < perSeries; i++)
        {
            value += random.Next(0, 50);
            samples[end - ((perSeries - 1 - i) * stepMs)] = value;
        }

        return new RawSeries(labels, samples);
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static long DirectorySize(string path) => new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static async Task PostAsync(HttpClient ingest, string json)
    {
        using var r = await ingest.PostAsync("/v1/events", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"ingest answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
    }

    private async Task<(BackgroundProcess Server, string Url)> StartVictoriaMetricsAsync(TlsBasicAuth tls, string dataDir)
    {
        var url = $"https://127.0.0.1:{FreePort.Next()}";
        var vm = Start("victoria-metrics", "victoria-metrics",
        [
            $"-httpListenAddr={url[8..]}", $"-storageDataPath={dataDir}", "-search.latencyOffset=1s", "-dedup.minScrapeInterval=1s",
            "-tls", $"-tlsCertFile={tls.CertFile}", $"-tlsKeyFile={tls.KeyFile}",
            $"-httpAuth.username={TlsBasicAuth.User}", $"-httpAuth.password={tls.Password}",
        ]);
        await tls.WaitForOkAsync(vm, url, "/health", TimeSpan.FromSeconds(60));
        return (vm, url);
    }

    private async Task<(BackgroundProcess Server, string Url)> StartPrometheusAsync(TlsBasicAuth tls, string webConfig, string collectorAddress, string dataDir)
    {
        var url = $"https://127.0.0.1:{FreePort.Next()}";
        var config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: perfotel-collector
                static_configs:
                  - targets: ['{collectorAddress}']
            """);
        var prometheus = Start("prometheus", "prometheus",
        [
            $"--config.file={config}", $"--storage.tsdb.path={dataDir}", $"--web.listen-address={url[8..]}",
            $"--web.config.file={webConfig}", "--web.enable-admin-api", $"--web.external-url={url}",
        ]);
        await tls.WaitForOkAsync(prometheus, url, "/-/ready", TimeSpan.FromSeconds(60));
        return (prometheus, url);
    }

    /// <summary>The collector (its built dll) with a generated API key, and a client that ingests with that key.</summary>
    private async Task<(BackgroundProcess Server, string Address, HttpClient Ingest)> StartCollectorAsync()
    {
        var address = $"127.0.0.1:{FreePort.Next()}";
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var keyFile = Path.Combine(dir, "api-key");
        File.WriteAllText(keyFile, key + "\n");
        var collector = Start("collector", "dotnet", [StackFixture.CollectorDll()], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://" + address,
            ["PerfOtel__Ingest__ApiKeys__0__Source"] = "backup",
            ["PerfOtel__Ingest__ApiKeys__0__KeyFile"] = keyFile,
            ["PerfOtel__InstanceId"] = "backup",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await collector.WaitForHttpOkAsync($"http://{address}/readyz", TimeSpan.FromSeconds(60));
        var ingest = new HttpClient { BaseAddress = new Uri("http://" + address), Timeout = TimeSpan.FromSeconds(30) };
        ingest.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return (collector, address, ingest);
    }

    private BackgroundProcess Start(string name, string file, string[] args, Dictionary<string, string>? env = null)
    {
        var p = BackgroundProcess.Start(name, file, args, env, dir);
        servers.Add(p);
        return p;
    }

    private async Task StopAsync(BackgroundProcess server)
    {
        servers.Remove(server);
        await server.DisposeAsync();
    }
}
