using YamlDotNet.RepresentationModel;
using static PerfOtel.Config.Tests.KubernetesRender;

namespace PerfOtel.Config.Tests;

/// <summary>
/// deploy/kubernetes rendered by <c>kubectl kustomize</c>: the collector's Deployment, Service, ServiceMonitor and
/// PodDisruptionBudget are wired to each other, run hardened, and read their config from the repository's files.
/// </summary>
public class KubernetesManifestTests
{
    private const string Collector = "perfotel-collector";

    /// <summary>The scrape job the rules select (up{job="perfotel-collector"}) and prometheus/prometheus.yml defines.</summary>
    private const string ScrapeJob = "perfotel-collector";

    private const string ApiKeySecret = "perfotel-collector-api-keys";

    [Fact]
    public async Task Kustomization_renders_the_expected_objects()
    {
        var objects = await ObjectsAsync();
        var kinds = objects.GroupBy(o => Str(o, "kind") ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ruleFiles = Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml").Length;
        var dashboards = Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json").Length;

        Assert.Equal(1, kinds.GetValueOrDefault("Deployment"));
        Assert.Equal(1, kinds.GetValueOrDefault("Service"));
        Assert.Equal(1, kinds.GetValueOrDefault("ServiceMonitor"));
        Assert.Equal(1, kinds.GetValueOrDefault("PodDisruptionBudget"));
        Assert.True(
            ruleFiles == kinds.GetValueOrDefault("PrometheusRule"),
            $"{kinds.GetValueOrDefault("PrometheusRule")} PrometheusRules rendered for {ruleFiles} files in prometheus/rules; regenerate with `{RegenerateCommand}`");
        // One per dashboard, plus the pricing catalog and the thresholds.
        Assert.True(
            dashboards + 2 == kinds.GetValueOrDefault("ConfigMap"),
            $"{kinds.GetValueOrDefault("ConfigMap")} ConfigMaps rendered for {dashboards} dashboards + pricing + thresholds; regenerate with `{RegenerateCommand}`");
        Assert.Equal(["ConfigMap", "Deployment", "PodDisruptionBudget", "PrometheusRule", "Service", "ServiceMonitor"], kinds.Keys.Order(StringComparer.Ordinal));

        // Everything lands in one namespace; secrets are never part of the manifests.
        Assert.All(objects, o => Assert.Equal(Namespace, Str(o, "metadata", "namespace")));
        Assert.Empty(objects.OfKind("Secret"));
    }

    [Fact]
    public async Task Collector_deployment_is_replicated_hardened_probed_and_bounded()
    {
        var deployment = (await ObjectsAsync()).Named("Deployment", Collector);
        var pod = At(deployment, "spec", "template", "spec");
        var container = Assert.Single(Seq(pod, "containers"));

        Assert.True(int.Parse(Str(deployment, "spec", "replicas") ?? "0") >= 2, "the collector is stateless: run 2+ replicas");
        Assert.True(Selects(StringMap(deployment, "spec", "selector", "matchLabels"), StringMap(deployment, "spec", "template", "metadata", "labels")));
        Assert.StartsWith("perfotel/collector:", Str(container, "image"), StringComparison.Ordinal);

        Assert.Equal("true", Str(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("1654", Str(pod, "securityContext", "runAsUser"));
        Assert.Equal("RuntimeDefault", Str(pod, "securityContext", "seccompProfile", "type"));
        Assert.Equal("false", Str(pod, "automountServiceAccountToken"));
        Assert.Equal("true", Str(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Str(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Seq(container, "securityContext", "capabilities", "drop").Select(n => ((YamlScalarNode)n).Value));

        var port = Assert.Single(Seq(container, "ports"));
        Assert.Equal("http", Str(port, "name"));
        Assert.Equal("8080", Str(port, "containerPort"));
        foreach (var (probe, path) in new[] { ("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz") })
        {
            Assert.True(Str(container, probe, "httpGet", "path") == path, $"{probe} must GET {path}");
            Assert.True(Str(container, probe, "httpGet", "port") == "http", $"{probe} must use the port named http");
        }

        foreach (var bound in new[] { "requests", "limits" })
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.False(string.IsNullOrEmpty(Str(container, "resources", bound, resource)), $"resources.{bound}.{resource} is not set");
            }
        }

        // ConfigMap and Secret mounts must follow updates: a subPath mount never does.
        Assert.All(Seq(container, "volumeMounts"), m => Assert.Null(Str(m, "subPath")));
    }

    [Fact]
    public async Task Collector_reads_its_api_key_from_the_secret_and_never_from_a_literal()
    {
        var (container, volumeOf) = CollectorContainer(await ObjectsAsync());
        var env = Env(container);

        var keyFile = Assert.Contains("PerfOtel__Ingest__ApiKeys__0__KeyFile", env);
        var volume = volumeOf(keyFile);
        Assert.True(Str(volume, "secret", "secretName") == ApiKeySecret, $"{keyFile} must be on the volume of Secret {ApiKeySecret}");
        // Kubernetes' default mode 0644 would let any user of the pod read the key.
        var mode = int.Parse(Str(volume, "secret", "defaultMode") ?? "420");
        Assert.True((mode & 0b111) == 0, $"the key file's mode {Convert.ToString(mode, 8)} is world-readable");
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("PerfOtel__Ingest__ApiKeys__", StringComparison.Ordinal) && k.EndsWith("__Key", StringComparison.Ordinal));
        // A configured key needs a source name (the collector refuses to start without one).
        Assert.False(string.IsNullOrWhiteSpace(env.GetValueOrDefault("PerfOtel__Ingest__ApiKeys__0__Source")), "the API key has no Source");
    }

    [Theory]
    [InlineData("PerfOtel__Pricing__CatalogFile", "deploy/pricing/catalog.json")]
    [InlineData("PerfOtel__Thresholds__File", "deploy/thresholds/thresholds.json")]
    public async Task Collector_config_file_is_mounted_from_a_config_map_equal_to_the_repository_file(string setting, string source)
    {
        var objects = await ObjectsAsync();
        var (container, volumeOf) = CollectorContainer(objects);
        var path = Assert.Contains(setting, Env(container));

        var configMapName = Str(volumeOf(path), "configMap", "name");
        Assert.True(configMapName is not null, $"{setting}={path} is not on a ConfigMap volume");
        var configMap = objects.Named("ConfigMap", configMapName);
        var data = At(configMap, "data", Path.GetFileName(path)) as YamlScalarNode;
        Assert.True(data is not null, $"ConfigMap {configMapName} has no key {Path.GetFileName(path)}");
        Assert.True(
            data.Value == await File.ReadAllTextAsync(RepoPaths.Of(source.Split('/'))),
            $"ConfigMap {configMapName} differs from {source}; regenerate: {RegenerateCommand}");
    }

    [Fact]
    public async Task Service_and_service_monitor_scrape_the_collector_as_the_rules_expect()
    {
        var objects = await ObjectsAsync();
        var podLabels = StringMap(objects.Named("Deployment", Collector), "spec", "template", "metadata", "labels");
        var service = objects.Named("Service", Collector);
        var monitor = objects.Named("ServiceMonitor", Collector);

        Assert.True(Selects(StringMap(service, "spec", "selector"), podLabels), "the Service does not select the collector's pods");
        var port = Assert.Single(Seq(service, "spec", "ports"));
        Assert.Equal("http", Str(port, "name"));
        Assert.Equal("http", Str(port, "targetPort"));

        var serviceLabels = StringMap(service, "metadata", "labels");
        Assert.True(Selects(StringMap(monitor, "spec", "selector", "matchLabels"), serviceLabels), "the ServiceMonitor does not select the Service");
        var endpoint = Assert.Single(Seq(monitor, "spec", "endpoints"));
        Assert.Equal("http", Str(endpoint, "port"));
        Assert.Equal("/metrics", Str(endpoint, "path"));

        // prometheus-operator names the job after the Service label named by jobLabel (else after the Service).
        var jobLabel = Str(monitor, "spec", "jobLabel");
        var job = jobLabel is not null && serviceLabels.TryGetValue(jobLabel, out var v) ? v : Str(service, "metadata", "name");
        Assert.Equal(ScrapeJob, job);

        var pdb = objects.Named("PodDisruptionBudget", Collector);
        Assert.True(Selects(StringMap(pdb, "spec", "selector", "matchLabels"), podLabels), "the PodDisruptionBudget does not select the collector's pods");
    }

    private static (YamlNode Container, Func<string, YamlNode?> VolumeOf) CollectorContainer(IReadOnlyList<YamlMappingNode> objects)
    {
        var pod = At(objects.Named("Deployment", Collector), "spec", "template", "spec");
        var container = Assert.Single(Seq(pod, "containers"));
        var volumes = Seq(pod, "volumes").ToDictionary(v => Str(v, "name") ?? "", StringComparer.Ordinal);

        // The volume whose mount holds a file path (the longest matching mount path wins).
        YamlNode? VolumeOf(string file)
        {
            var mount = Seq(container, "volumeMounts")
                .Where(m => file.StartsWith((Str(m, "mountPath") ?? "\0").TrimEnd('/') + "/", StringComparison.Ordinal))
                .MaxBy(m => Str(m, "mountPath")?.Length ?? 0);
            Assert.True(mount is not null, $"no volume is mounted above {file}");
            return volumes.GetValueOrDefault(Str(mount, "name") ?? "");
        }

        return (container, VolumeOf);
    }

    private static Dictionary<string, string> Env(YamlNode container) =>
        Seq(container, "env")
            .Where(e => Str(e, "value") is not null)
            .ToDictionary(e => Str(e, "name") ?? "", e => Str(e, "value") ?? "", StringComparer.Ordinal);
}
