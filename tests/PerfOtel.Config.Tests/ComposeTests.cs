using System.ComponentModel;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Config.Tests;

/// <summary>
/// docker-compose.yml: validated by docker-compose itself (no Docker engine needed), then the stack's own rules are
/// checked on the file as docker-compose resolves it (interpolated, paths made absolute).
/// </summary>
public class ComposeTests
{
    /// <summary>Services that run to completion; they declare it with this label and disable their healthcheck.</summary>
    private const string OneShotLabel = "perfotel.oneshot";

    private static readonly Lazy<Task<YamlMappingNode>> Resolved = new(LoadResolvedAsync);

    [Fact]
    public async Task Compose_file_passes_docker_compose_config()
    {
        var r = await RunComposeAsync("config", "-q");
        Assert.True(r.ExitCode == 0, "docker-compose config -q failed:\n" + r.Output);
    }

    [Fact]
    public void Compose_file_has_no_top_level_version()
    {
        var root = (YamlMappingNode)LoadYaml(File.ReadAllText(RepoPaths.Of("docker-compose.yml")));
        Assert.False(root.Children.ContainsKey("version"), "the Compose Specification needs no `version:`");
    }

    [Fact]
    public async Task Every_service_has_a_healthcheck_and_only_one_shot_jobs_disable_it()
    {
        var problems = new List<string>();
        foreach (var (name, service) in await ServicesAsync())
        {
            var oneShot = Scalar(Child(Child(service, "labels"), OneShotLabel)) == "true";
            if (Child(service, "healthcheck") is not YamlMappingNode hc)
            {
                problems.Add($"{name}: no healthcheck");
                continue;
            }

            var test = Child(hc, "test") switch
            {
                YamlSequenceNode seq => seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList(),
                YamlScalarNode s => [s.Value ?? ""],
                _ => [],
            };

            // docker-compose resolves `disable: true` to `test: [NONE]`.
            if (Scalar(Child(hc, "disable")) == "true" || test is ["NONE"])
            {
                if (!oneShot)
                {
                    problems.Add($"{name}: healthcheck disabled but the service is not labelled {OneShotLabel}");
                }

                var restart = Scalar(Child(service, "restart")) ?? "no";
                if (restart != "no")
                {
                    problems.Add($"{name}: a one-shot job must not be restarted (restart: {restart})");
                }

                continue;
            }

            if (test.Count == 0 || (test[0] is "CMD" or "CMD-SHELL" && test.Count < 2))
            {
                problems.Add($"{name}: healthcheck has no test command");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Published_ports_bind_loopback_only()
    {
        var problems = new List<string>();
        foreach (var (name, service) in await ServicesAsync())
        {
            if (Child(service, "ports") is not YamlSequenceNode ports)
            {
                continue;
            }

            foreach (var port in ports.Children)
            {
                var hostIp = port switch
                {
                    // Short syntax as docker-compose prints it: [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTO].
                    YamlScalarNode s => ShortPortHostIp(s.Value ?? ""),
                    YamlMappingNode m => Scalar(Child(m, "host_ip")),
                    _ => null,
                };
                if (hostIp != "127.0.0.1")
                {
                    problems.Add($"{name}: port {Describe(port)} is not bound to 127.0.0.1");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Every_bind_mounted_host_path_exists()
    {
        var problems = new List<string>();
        var checkedAny = false;
        foreach (var (name, service) in await ServicesAsync())
        {
            if (Child(service, "volumes") is not YamlSequenceNode volumes)
            {
                continue;
            }

            foreach (var volume in volumes.Children)
            {
                var source = volume switch
                {
                    YamlScalarNode s => (s.Value ?? "").Split(':')[0],
                    YamlMappingNode m when Scalar(Child(m, "type")) == "bind" => Scalar(Child(m, "source")) ?? "",
                    _ => "",
                };

                // A source that is not a path is a named volume.
                if (!source.StartsWith('/') && !source.StartsWith('.'))
                {
                    continue;
                }

                checkedAny = true;
                var path = Path.GetFullPath(source, RepoPaths.Root);
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    problems.Add($"{name}: bind mount source {source} does not exist");
                }
            }
        }

        Assert.True(checkedAny, "expected bind mounts (prometheus/, deploy/alertmanager/, grafana/)");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("prometheus", "/prometheus")]
    [InlineData("alertmanager", "/alertmanager")]
    [InlineData("grafana", "/var/lib/grafana")]
    public async Task Data_directories_are_named_volumes(string service, string dataPath)
    {
        var root = await Resolved.Value;
        var services = await ServicesAsync();
        var volumes = Assert.IsType<YamlSequenceNode>(Child(services[service], "volumes"));
        var mount = volumes.Children.OfType<YamlScalarNode>().Select(v => (v.Value ?? "").Split(':'))
            .SingleOrDefault(parts => parts.Length >= 2 && parts[1] == dataPath);
        Assert.True(mount is not null, $"{service}: {dataPath} is not mounted");
        Assert.True(Child(root, "volumes") is YamlMappingNode named && named.Children.ContainsKey(new YamlScalarNode(mount[0])),
            $"{service}: {dataPath} comes from {mount[0]}, not a named volume");
    }

    [Fact]
    public async Task Dependencies_wait_for_health_or_completion()
    {
        var problems = new List<string>();
        foreach (var (name, service) in await ServicesAsync())
        {
            if (Child(service, "depends_on") is not YamlMappingNode deps)
            {
                continue;
            }

            foreach (var (dep, spec) in deps.Children)
            {
                var condition = Scalar(Child(spec, "condition"));
                if (condition is not ("service_healthy" or "service_completed_successfully"))
                {
                    problems.Add($"{name} -> {dep}: condition {condition ?? "(none)"}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Reports_job_only_runs_under_its_profile()
    {
        var services = await ServicesAsync();
        var profiles = Assert.IsType<YamlSequenceNode>(Child(services["reports"], "profiles"));
        Assert.Equal(["reports"], profiles.Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public async Task Collector_shares_the_generated_key_with_alertmanager_read_only()
    {
        var services = await ServicesAsync();
        var env = Assert.IsType<YamlMappingNode>(Child(services["collector"], "environment"));
        Assert.Equal("/run/perfotel/api-key", Scalar(Child(env, "PerfOtel__Ingest__GeneratedKeyFile")));

        static string[] Mounts(YamlMappingNode s) =>
            ((YamlSequenceNode)s["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value ?? "").ToArray();

        Assert.Contains(Mounts(services["collector"]), m => m.StartsWith("perfotel-secrets:/run/perfotel", StringComparison.Ordinal));
        Assert.Contains("perfotel-secrets:/run/perfotel:ro", Mounts(services["alertmanager"]));
        foreach (var (name, service) in services)
        {
            if (name is not ("collector" or "alertmanager" or "secrets-init") && Child(service, "volumes") is YamlSequenceNode)
            {
                Assert.DoesNotContain(Mounts(service), m => m.StartsWith("perfotel-secrets:", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Collector_healthcheck_is_the_images_healthz_probe()
    {
        // The aspnet image has no curl/wget: both probes are the same bash /dev/tcp request, kept identical here.
        var services = await ServicesAsync();
        var test = Assert.IsType<YamlSequenceNode>(Child(Child(services["collector"], "healthcheck"), "test"))
            .Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray();
        var dockerfile = await File.ReadAllTextAsync(RepoPaths.Of("src", "PerfOtel.Collector", "Dockerfile"), TestContext.Current.CancellationToken);
        var cmd = Regex.Match(dockerfile, @"^\s*CMD (\[.*\])\s*$", RegexOptions.Multiline);
        Assert.True(cmd.Success, "the collector Dockerfile has no exec-form HEALTHCHECK CMD");
        var image = JsonSerializer.Deserialize<string[]>(cmd.Groups[1].Value)!;

        // docker-compose config prints `$` escaped as `$$`.
        Assert.Equal(["CMD", .. image], test.Select(t => t.Replace("$$", "$", StringComparison.Ordinal)));
        Assert.Contains("GET /healthz ", image[^1], StringComparison.Ordinal);
    }

    private static string? ShortPortHostIp(string spec)
    {
        var parts = spec.Split('/')[0].Split(':');
        return parts.Length >= 3 ? string.Join(':', parts[..^2]) : null;
    }

    private static string Describe(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.ToString();

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static async Task<Dictionary<string, YamlMappingNode>> ServicesAsync()
    {
        var root = await Resolved.Value;
        return ((YamlMappingNode)root["services"]).Children
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (YamlMappingNode)kv.Value);
    }

    private static async Task<YamlMappingNode> LoadResolvedAsync()
    {
        var r = await RunComposeAsync("config");
        Assert.True(r.ExitCode == 0, "docker-compose config failed:\n" + r.Output);
        return (YamlMappingNode)LoadYaml(r.StdOut);
    }

    private static YamlNode LoadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    private static async Task<ToolResult> RunComposeAsync(params string[] args)
    {
        try
        {
            return await ToolRun.RunAsync("docker-compose", ["-f", RepoPaths.Of("docker-compose.yml"), .. args]);
        }
        catch (Win32Exception e)
        {
            Assert.Fail("docker-compose is not installed (deploy/native/install-deps.sh installs it): " + e.Message);
            throw;
        }
    }
}
