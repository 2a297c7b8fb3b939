using System.Security.Cryptography;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Config.Tests;

/// <summary>
/// The production profile's files (docs/PRODUCTION.md), checked with the real tools: make-secrets.sh, promtool,
/// amtool, htpasswd, openssl, docker-compose. The running profile is tested in tests/PerfOtel.Production.Tests.
/// </summary>
public sealed class ProductionProfileTests : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("perfotel-prod-config-").FullName;

    private string Secrets => Path.Combine(dir, "run", "production");

    public async ValueTask InitializeAsync()
    {
        var r = await ToolRun.RunAsync("bash", [RepoPaths.Of("deploy", "production", "make-secrets.sh"), Secrets]);
        Assert.True(r.ExitCode == 0, r.Output);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Compose_production_override_passes_docker_compose_config()
    {
        var r = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "-f", "docker-compose.production.yml", "config", "-q"]);
        Assert.True(r.ExitCode == 0, "docker-compose config -q failed:\n" + r.Output);
    }

    [Fact]
    public async Task Make_secrets_is_idempotent_private_and_its_hashes_and_certificate_check_out()
    {
        var before = Snapshot();
        var again = await ToolRun.RunAsync("bash", [RepoPaths.Of("deploy", "production", "make-secrets.sh"), Secrets]);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("nothing changed", again.StdOut, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());

        foreach (var file in Directory.GetFiles(Secrets, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // Each bcrypt hash in the web config matches its password file (htpasswd verifies, cost 10).
        var web = File.ReadAllText(Path.Combine(Secrets, "web-config.yml"));
        foreach (var user in new[] { "prometheus", "admin" })
        {
            var hash = Regex.Match(web, $@"(?m)^\s+{user}:\s*'(?<h>\$2y\$10\$[^']+)'").Groups["h"].Value;
            Assert.False(string.IsNullOrEmpty(hash), $"no bcrypt hash for {user}");
            var htpasswd = Path.Combine(dir, "htpasswd-" + user);
            File.WriteAllText(htpasswd, $"{user}:{hash}\n");
            var verify = await ToolRun.RunAsync("htpasswd", ["-vb", htpasswd, user, File.ReadAllText(Path.Combine(Secrets, "passwords", user))]);
            Assert.True(verify.ExitCode == 0, $"{user}: {verify.Output}");
        }

        var checkWeb = await ToolRun.RunAsync("promtool", ["check", "web-config", Path.Combine(Secrets, "web-config.yml")]);
        Assert.True(checkWeb.ExitCode == 0, checkWeb.Output);

        var tls = Path.Combine(Secrets, "tls");
        var verifyCert = await ToolRun.RunAsync("openssl", ["verify", "-CAfile", Path.Combine(tls, "ca.crt"), Path.Combine(tls, "tls.crt")]);
        Assert.True(verifyCert.ExitCode == 0, verifyCert.Output);
        var text = await ToolRun.RunAsync("openssl", ["x509", "-in", Path.Combine(tls, "tls.crt"), "-noout", "-ext", "subjectAltName"]);
        foreach (var name in new[] { "DNS:localhost", "IP Address:127.0.0.1", "DNS:collector", "DNS:prometheus-a", "DNS:prometheus-b", "DNS:alertmanager-1", "DNS:alertmanager-3", "DNS:victoriametrics" })
        {
            Assert.Contains(name, text.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_secret_of_the_profile_is_tracked_by_git()
    {
        Assert.Contains("/secrets/", File.ReadAllLines(RepoPaths.Of(".gitignore")));
        var tracked = await ToolRun.RunAsync("git", ["ls-files", "--", "secrets", "*.key", "*web-config.yml", "*/passwords/*"]);
        Assert.True(tracked.ExitCode == 0, tracked.Output);
        Assert.Equal("", tracked.StdOut.Trim());
        // Committed production files name secret files, never hold secrets.
        foreach (var file in Directory.GetFiles(RepoPaths.Of("deploy", "production"), "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(file);
            Assert.DoesNotMatch(@"\$2[aby]\$\d\d\$", content);
            Assert.DoesNotMatch(@"-----BEGIN [A-Z ]*PRIVATE KEY-----", content);
        }
    }

    [Fact]
    public async Task Production_prometheus_config_passes_promtool_with_generated_secrets()
    {
        var config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, File.ReadAllText(RepoPaths.Of("deploy", "production", "prometheus", "prometheus.yml"))
            .Replace("/run/perfotel/", Path.Combine(dir, "run") + "/", StringComparison.Ordinal));
        Directory.CreateSymbolicLink(Path.Combine(dir, "rules"), RepoPaths.Of("prometheus", "rules"));
        var r = await ToolRun.RunAsync("promtool", ["check", "config", config]);
        Assert.True(r.ExitCode == 0, r.Output);

        var root = Load(config);
        var global = (YamlMappingNode)root["global"];
        var labels = (YamlMappingNode)global["external_labels"];
        Assert.Equal("${PERFOTEL_CLUSTER}", labels["cluster"].ToString());
        Assert.Equal("${PERFOTEL_PROMETHEUS_REPLICA}", labels["replica"].ToString());
        // Alerts lose the replica label (the Alertmanager cluster dedups them), go to all three peers over TLS.
        var alerting = (YamlMappingNode)root["alerting"];
        var drop = (YamlMappingNode)((YamlSequenceNode)alerting["alert_relabel_configs"])[0];
        Assert.Equal("labeldrop", drop["action"].ToString());
        Assert.Equal("replica", drop["regex"].ToString());
        var am = (YamlMappingNode)((YamlSequenceNode)alerting["alertmanagers"])[0];
        Assert.Equal("https", am["scheme"].ToString());
        Assert.Equal(3, ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)am["static_configs"])[0])["targets"]).Children.Count);
        // Every scrape over TLS with basic auth.
        foreach (YamlMappingNode job in (YamlSequenceNode)root["scrape_configs"])
        {
            Assert.Equal("https", job["scheme"].ToString());
            Assert.True(job.Children.ContainsKey("basic_auth") && job.Children.ContainsKey("tls_config"), job["job_name"].ToString());
        }
    }

    [Fact]
    public async Task Production_alertmanager_config_renders_with_sed_and_passes_amtool()
    {
        var sed = await ToolRun.RunAsync("sed", ["-E", "-f", RepoPaths.Of("deploy", "production", "alertmanager", "production.sed"), RepoPaths.Of("deploy", "alertmanager", "alertmanager.yml")]);
        Assert.True(sed.ExitCode == 0, sed.Output);
        Assert.Contains("url: https://collector:8080/v1/alerts", sed.StdOut, StringComparison.Ordinal);
        var config = Path.Combine(dir, "alertmanager.yml");
        File.WriteAllText(config, sed.StdOut.Replace("/run/perfotel/", Path.Combine(dir, "run") + "/", StringComparison.Ordinal));
        var r = await ToolRun.RunAsync("amtool", ["check-config", config]);
        Assert.True(r.ExitCode == 0, r.Output);

        // HA: every group_interval must exceed (peers - 1) x the 15 s peer timeout, or a peer that flushed before a
        // resolution sends a stale "firing" after it (docs/PRODUCTION.md).
        foreach (Match m in Regex.Matches(sed.StdOut, @"(?m)^\s+group_interval:\s*(?<v>\d+)(?<u>[smh])\s*$"))
        {
            var seconds = int.Parse(m.Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture) * m.Groups["u"].Value switch { "s" => 1, "m" => 60, _ => 3600 };
            Assert.True(seconds > 2 * 15, $"group_interval {m.Value.Trim()} is not above 2 x the peer timeout");
        }
    }

    [Fact]
    public void Dedup_interval_and_datasource_step_match_the_scrape_interval()
    {
        var scrape = ((YamlMappingNode)Load(RepoPaths.Of("deploy", "production", "prometheus", "prometheus.yml"))["global"])["scrape_interval"].ToString();
        var compose = File.ReadAllText(RepoPaths.Of("docker-compose.production.yml"));
        Assert.Contains($"-dedup.minScrapeInterval={scrape}", compose, StringComparison.Ordinal);
        Assert.Contains("-relabelConfig=", compose, StringComparison.Ordinal);
        var datasource = File.ReadAllText(RepoPaths.Of("deploy", "production", "grafana", "datasources", "prometheus.yml"));
        Assert.Matches($@"(?m)^\s+timeInterval:\s*{scrape}\s*$", datasource);
        Assert.Matches(@"(?m)^\s+url:\s*\$PERFOTEL_QUERY_URL\s*$", datasource);
        // The native runner reads the dedup interval from the rendered config itself.
        Assert.Contains("-dedup.minScrapeInterval=\"$scrape_interval\"", File.ReadAllText(RepoPaths.Of("deploy", "native", "run-production.sh")), StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(path));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private string Snapshot() => string.Join("\n", Directory.GetFiles(Secrets, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        .Select(f => f + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
}
