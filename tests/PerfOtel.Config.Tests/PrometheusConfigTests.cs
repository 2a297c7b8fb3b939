using System.ComponentModel;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Config.Tests;

/// <summary>
/// prometheus/: the scrape config, the rule files and their promtool unit tests, checked with the real promtool.
/// </summary>
public class PrometheusConfigTests
{
    private static readonly string[] Severities = ["critical", "warning", "info"];

    public static TheoryData<string> RuleFiles => new(RepoFiles("rules", "*.yml"));

    public static TheoryData<string> RuleTestFiles => new(RepoFiles("tests", "*.yml"));

    [Fact]
    public async Task Prometheus_config_passes_promtool_check_config()
    {
        await RunPromtoolAsync("check", "config", "--syntax-only", RepoPaths.Of("prometheus", "prometheus.yml"));
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public async Task Rule_file_passes_promtool_check_rules(string file)
    {
        await RunPromtoolAsync("check", "rules", RepoPaths.Of("prometheus", "rules", file));
    }

    [Theory]
    [MemberData(nameof(RuleTestFiles))]
    public async Task Rule_unit_tests_pass_promtool_test_rules(string file)
    {
        await RunPromtoolAsync("test", "rules", RepoPaths.Of("prometheus", "tests", file));
    }

    [Fact]
    public void Prometheus_config_has_the_contract_jobs_and_substitutable_strings()
    {
        var path = RepoPaths.Of("prometheus", "prometheus.yml");
        var text = File.ReadAllText(path);

        // The native runner and the stack tests rewrite these by plain string substitution.
        foreach (var literal in new[] { "scrape_interval: 15s", "evaluation_interval: 15s", "collector:8080", "prometheus:9090", "alertmanager:9093", "node-exporter:9100" })
        {
            Assert.True(text.Contains(literal, StringComparison.Ordinal), $"{path} must contain the literal '{literal}'");
        }

        var root = LoadYaml(path);
        var jobs = Seq(root, "scrape_configs").Select(job => (
            Name: Str(job, "job_name"),
            Path: Str(job, "metrics_path") ?? "/metrics",
            Targets: Seq(job, "static_configs").SelectMany(sc => Seq(sc, "targets")).Select(t => ((YamlScalarNode)t).Value).ToArray()))
            .ToDictionary(j => j.Name ?? "", j => j);

        Assert.Equal(["alertmanager", "node", "perfotel-collector", "prometheus"], jobs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["collector:8080"], jobs["perfotel-collector"].Targets);
        Assert.Equal("/metrics", jobs["perfotel-collector"].Path);
        Assert.Equal(["prometheus:9090"], jobs["prometheus"].Targets);
        Assert.Equal(["alertmanager:9093"], jobs["alertmanager"].Targets);
        Assert.Equal(["node-exporter:9100"], jobs["node"].Targets);

        var alertmanagers = Seq(Map(root, "alerting"), "alertmanagers")
            .SelectMany(am => Seq(am, "static_configs")).SelectMany(sc => Seq(sc, "targets")).Select(t => ((YamlScalarNode)t).Value);
        Assert.Equal(["alertmanager:9093"], alertmanagers);
        Assert.Equal(["rules/*.yml"], Seq(root, "rule_files").Select(f => ((YamlScalarNode)f).Value));
    }

    [Fact]
    public void Recording_rules_are_named_level_metric_operations()
    {
        var records = AllRules().Select(r => Str(r.Rule, "record")).OfType<string>().ToList();

        Assert.NotEmpty(records);
        Assert.All(records, name => Assert.Matches(new Regex("^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+$"), name));
    }

    [Fact]
    public void Every_alert_has_for_severity_annotations_and_an_existing_runbook()
    {
        var alerts = AllRules().Where(r => Str(r.Rule, "alert") is not null).ToList();
        Assert.NotEmpty(alerts);

        var problems = new List<string>();
        foreach (var (file, rule) in alerts)
        {
            var name = Str(rule, "alert")!;
            var where = $"{file}: {name}";
            if (string.IsNullOrWhiteSpace(Str(rule, "for")))
            {
                problems.Add($"{where}: no 'for:'");
            }

            var severity = Str(Map(rule, "labels"), "severity");
            if (severity is null || !Severities.Contains(severity))
            {
                problems.Add($"{where}: severity '{severity}' is not one of {string.Join('/', Severities)}");
            }

            var annotations = Map(rule, "annotations");
            foreach (var key in new[] { "summary", "description", "runbook_url" })
            {
                if (string.IsNullOrWhiteSpace(Str(annotations, key)))
                {
                    problems.Add($"{where}: annotation '{key}' missing");
                }
            }

            var runbook = Str(annotations, "runbook_url");
            if (runbook is not null)
            {
                if (runbook != $"docs/runbooks/{name}.md")
                {
                    problems.Add($"{where}: runbook_url '{runbook}' is not docs/runbooks/{name}.md");
                }
                else if (!File.Exists(RepoPaths.Of(runbook.Split('/'))))
                {
                    problems.Add($"{where}: runbook {runbook} does not exist");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Every_alert_fires_in_some_promtool_test()
    {
        var missing = AlertNames().Except(TestedAlerts(firing: true)).ToList();

        Assert.True(missing.Count == 0, "alerts never expected to fire (non-empty exp_alerts) in prometheus/tests: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_alert_is_checked_silent_in_some_promtool_test()
    {
        var missing = AlertNames().Except(TestedAlerts(firing: false)).ToList();

        Assert.True(missing.Count == 0, "alerts never expected to stay silent (exp_alerts: []) in prometheus/tests: " + string.Join(", ", missing));
    }

    private static async Task RunPromtoolAsync(params string[] args)
    {
        ToolResult result;
        try
        {
            result = await ToolRun.RunAsync("promtool", args);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("promtool is not installed (Debian package prometheus; tests/run.sh installs it): " + e.Message, e);
        }

        Assert.True(result.ExitCode == 0, $"promtool {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}");
    }

    private static IEnumerable<string> AlertNames() =>
        AllRules().Select(r => Str(r.Rule, "alert")).OfType<string>().Distinct(StringComparer.Ordinal);

    /// <summary>Alert names of alert_rule_test cases whose exp_alerts is non-empty (firing) or empty (silent).</summary>
    private static HashSet<string> TestedAlerts(bool firing) =>
        RepoFiles("tests", "*.yml")
            .SelectMany(f => Seq(LoadYaml(RepoPaths.Of("prometheus", "tests", f)), "tests"))
            .SelectMany(t => Seq(t, "alert_rule_test"))
            .Where(c => Seq(c, "exp_alerts").Any() == firing)
            .Select(c => Str(c, "alertname"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(string File, YamlMappingNode Rule)> AllRules() =>
        RepoFiles("rules", "*.yml").SelectMany(f =>
            Seq(LoadYaml(RepoPaths.Of("prometheus", "rules", f)), "groups")
                .SelectMany(g => Seq(g, "rules"))
                .Select(r => (f, (YamlMappingNode)r)));

    private static string[] RepoFiles(string folder, string pattern)
    {
        var dir = RepoPaths.Of("prometheus", folder);
        return Directory.GetFiles(dir, pattern).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode? Map(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlMappingNode : null;

    private static IEnumerable<YamlNode> Seq(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode s ? s.Children : [];

    private static string? Str(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;
}
