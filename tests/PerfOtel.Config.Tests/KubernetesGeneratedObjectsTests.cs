using System.Text;
using YamlDotNet.RepresentationModel;
using static PerfOtel.Config.Tests.KubernetesRender;

namespace PerfOtel.Config.Tests;

/// <summary>
/// deploy/kubernetes/generated/ (PrometheusRules from prometheus/rules, dashboard ConfigMaps from grafana/dashboards,
/// config copies) is written by deploy/kubernetes/generate.sh and committed: it must equal a fresh run, and the
/// objects kustomize renders from it must equal their sources.
/// </summary>
public class KubernetesGeneratedObjectsTests
{
    public static TheoryData<string> RuleFiles => new(FileNames(RepoPaths.Of("prometheus", "rules"), "*.yml"));

    public static TheoryData<string> Dashboards => new(FileNames(RepoPaths.Of("grafana", "dashboards"), "*.json"));

    [Fact]
    public async Task Committed_generated_files_equal_a_fresh_run_of_the_generator()
    {
        var tmp = Directory.CreateTempSubdirectory("perfotel-k8s-generate-");
        try
        {
            var fresh = Path.Combine(tmp.FullName, "generated");
            await RunGeneratorAsync(RepoPaths.Of("deploy", "kubernetes", "generate.sh"), fresh);

            var committed = RepoPaths.Of("deploy", "kubernetes", "generated");
            var problems = CompareTrees(committed, fresh);
            Assert.True(problems.Count == 0, $"deploy/kubernetes/generated is out of date with its sources; regenerate with `{RegenerateCommand}` and commit:\n  " + string.Join("\n  ", problems));
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public async Task Rendered_prometheus_rule_equals_its_rule_file(string file)
    {
        var rule = (await ObjectsAsync()).Named("PrometheusRule", Path.GetFileNameWithoutExtension(file));
        var source = LoadYamlFile(RepoPaths.Of("prometheus", "rules", file));

        var spec = At(rule, "spec") as YamlMappingNode;
        Assert.True(spec is not null, "the PrometheusRule has no spec");
        Assert.Equal(["groups"], spec.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var difference = FirstDifference(At(source, "groups"), At(spec, "groups"), "groups");
        Assert.True(difference is null, $"PrometheusRule {Path.GetFileNameWithoutExtension(file)} differs from prometheus/rules/{file} at {difference}; regenerate with `{RegenerateCommand}`");
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Rendered_dashboard_config_map_equals_its_dashboard(string file)
    {
        var objects = await ObjectsAsync();
        var configMap = objects.Named("ConfigMap", "grafana-dashboard-" + Path.GetFileNameWithoutExtension(file));

        Assert.Equal("1", Str(configMap, "metadata", "labels", "grafana_dashboard"));
        var data = At(configMap, "data") as YamlMappingNode;
        Assert.True(data is not null, "the ConfigMap has no data");
        Assert.Equal([file], data.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var json = Str(data, file);
        Assert.True(
            json == await File.ReadAllTextAsync(RepoPaths.Of("grafana", "dashboards", file)),
            $"the ConfigMap's {file} differs from grafana/dashboards/{file}; regenerate with `{RegenerateCommand}`");
        // `kubectl apply` (client side) keeps the whole object in an annotation limited to 256 KiB.
        Assert.True(Encoding.UTF8.GetByteCount(json) < 200 * 1024, $"{file} is too large for one ConfigMap applied client-side");
    }

    [Fact]
    public async Task Rendered_prometheus_rules_pass_promtool_check_rules()
    {
        var rules = (await ObjectsAsync()).OfKind("PrometheusRule").ToList();
        Assert.NotEmpty(rules);
        var tmp = Directory.CreateTempSubdirectory("perfotel-k8s-rules-");
        try
        {
            var files = new List<string>();
            foreach (var rule in rules)
            {
                var path = Path.Combine(tmp.FullName, Name(rule) + ".yml");
                await using (var writer = new StreamWriter(path))
                {
                    new YamlStream(new YamlDocument(At(rule, "spec")!)).Save(writer, assignAnchors: false);
                }

                files.Add(path);
            }

            var r = await ToolRun.RunAsync("promtool", ["check", "rules", .. files]);
            Assert.True(r.ExitCode == 0, $"promtool check rules on the rendered PrometheusRule specs exited with {r.ExitCode}:\n{r.Output}");
            Assert.Equal(files.Count, CountOccurrences(r.Output, "SUCCESS:"));
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Generator_refuses_a_rule_file_with_more_than_groups_at_the_top_level()
    {
        var tmp = Directory.CreateTempSubdirectory("perfotel-k8s-refuse-");
        try
        {
            var script = CopyRepoLayout(tmp.FullName);
            await File.WriteAllTextAsync(Path.Combine(tmp.FullName, "prometheus", "rules", "bad.yml"), "groups: []\nnamespace: other\n");
            await File.WriteAllTextAsync(Path.Combine(tmp.FullName, "grafana", "dashboards", "d.json"), "{}\n");

            var r = await ToolRun.RunAsync("bash", [script], tmp.FullName);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("prometheus/rules/bad.yml", r.StdErr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(tmp.FullName, "deploy", "kubernetes", "generated")), "a failed run must not leave output");
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Generated_dashboard_keeps_every_byte_of_awkward_files()
    {
        // File endings (none, one, several newlines), leading spaces on the first line, tabs, trailing spaces,
        // YAML-significant text at the start of a line: the literal block scalar must carry each one unchanged.
        var dashboards = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["no-final-newline.json"] = "{\n  \"a\": 1\n}",
            ["two-final-newlines.json"] = "{\n  \"a\": 1\n}\n\n",
            ["leading-spaces.json"] = "   {\"a\": \"--- # not a comment\"}\n",
            ["odd-lines.json"] = "{\n\t\"tab\": \"x\",   \n\n  \"key: value\": \"- item\"\n}\n",
        };
        var tmp = Directory.CreateTempSubdirectory("perfotel-k8s-bytes-");
        try
        {
            var script = CopyRepoLayout(tmp.FullName);
            File.Copy(RepoPaths.Of("prometheus", "rules", "perfotel-slo-recording.yml"), Path.Combine(tmp.FullName, "prometheus", "rules", "perfotel-slo-recording.yml"));
            foreach (var (name, content) in dashboards)
            {
                await File.WriteAllTextAsync(Path.Combine(tmp.FullName, "grafana", "dashboards", name), content);
            }

            await RunGeneratorAsync(script, null);
            var dir = Path.Combine(tmp.FullName, "deploy", "kubernetes");
            await File.WriteAllTextAsync(
                Path.Combine(dir, "kustomization.yaml"),
                "resources:\n  - generated/prometheus-rules.yaml\n  - generated/grafana-dashboards.yaml\n");

            var objects = await RenderAsync(dir);
            foreach (var (name, content) in dashboards)
            {
                var configMap = objects.Named("ConfigMap", "grafana-dashboard-" + Path.GetFileNameWithoutExtension(name));
                Assert.Equal(content, Str(configMap, "data", name));
            }
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    private static async Task RunGeneratorAsync(string script, string? outDir)
    {
        var r = await ToolRun.RunAsync("bash", outDir is null ? [script] : [script, outDir]);
        Assert.True(r.ExitCode == 0, $"{script} exited with {r.ExitCode}:\n{r.Output}");
    }

    /// <summary>A minimal repository in <paramref name="root"/>: the generator, the config files, empty source folders.</summary>
    private static string CopyRepoLayout(string root)
    {
        foreach (var dir in new[] { "deploy/kubernetes", "deploy/pricing", "deploy/thresholds", "prometheus/rules", "grafana/dashboards" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.Copy(RepoPaths.Of("deploy", "pricing", "catalog.json"), Path.Combine(root, "deploy", "pricing", "catalog.json"));
        File.Copy(RepoPaths.Of("deploy", "thresholds", "thresholds.json"), Path.Combine(root, "deploy", "thresholds", "thresholds.json"));
        var script = Path.Combine(root, "deploy", "kubernetes", "generate.sh");
        File.Copy(RepoPaths.Of("deploy", "kubernetes", "generate.sh"), script);
        return script;
    }

    /// <summary>Files missing, extra or different in <paramref name="committed"/> compared with a <paramref name="fresh"/> run.</summary>
    private static List<string> CompareTrees(string committed, string fresh)
    {
        static SortedSet<string> Files(string dir) =>
            new(Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)), StringComparer.Ordinal);

        var problems = new List<string>();
        var committedFiles = Files(committed);
        var freshFiles = Files(fresh);
        problems.AddRange(freshFiles.Except(committedFiles).Select(f => $"{f}: missing (a new source?)"));
        problems.AddRange(committedFiles.Except(freshFiles).Select(f => $"{f}: no longer generated (a deleted source?)"));
        foreach (var f in committedFiles.Intersect(freshFiles))
        {
            var a = File.ReadAllLines(Path.Combine(committed, f));
            var b = File.ReadAllLines(Path.Combine(fresh, f));
            if (!File.ReadAllBytes(Path.Combine(committed, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fresh, f))))
            {
                var line = Enumerable.Range(0, Math.Max(a.Length, b.Length)).FirstOrDefault(i => i >= a.Length || i >= b.Length || a[i] != b[i]);
                problems.Add($"{f}: differs from line {line + 1} (generated: '{(line < b.Length ? b[line] : "<end>")}')");
            }
        }

        return problems;
    }

    private static int CountOccurrences(string text, string value)
    {
        var n = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static string[] FileNames(string dir, string pattern) =>
        Directory.GetFiles(dir, pattern).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
}
