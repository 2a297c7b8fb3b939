using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.AlertQuality.Rules;

/// <summary>A recording or alerting rule as Prometheus loads it, with its group's evaluation interval.</summary>
internal sealed record Rule(
    string File,
    string Group,
    int IntervalSeconds,
    string? Record,
    string? Alert,
    string Expr,
    int ForSeconds,
    int KeepFiringForSeconds,
    IReadOnlyDictionary<string, string> Labels)
{
    public string Name => Record ?? Alert ?? "";

    public string Severity => Labels.TryGetValue("severity", out var s) ? s : "none";
}

/// <summary>Every rule file of a folder (prometheus/rules/*.yml), in file and group order.</summary>
internal sealed partial class RuleSet
{
    private RuleSet(IReadOnlyList<Rule> rules, IReadOnlyList<(string File, string Group, int? Interval)> groups)
    {
        Rules = rules;
        Groups = groups;
    }

    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The groups as written (interval null: the global evaluation interval).</summary>
    public IReadOnlyList<(string File, string Group, int? Interval)> Groups { get; }

    public IEnumerable<Rule> Recording => Rules.Where(r => r.Record is not null);

    public IEnumerable<Rule> Alerting => Rules.Where(r => r.Alert is not null);

    public static RuleSet Load(string folder, int globalIntervalSeconds)
    {
        var rules = new List<Rule>();
        var groups = new List<(string, string, int?)>();
        foreach (var file in Directory.GetFiles(folder, "*.yml").Concat(Directory.GetFiles(folder, "*.yaml")).Order(StringComparer.Ordinal))
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                yaml.Load(reader);
            }

            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root || Child(root, "groups") is not YamlSequenceNode groupNodes)
            {
                continue;
            }

            foreach (var group in groupNodes.Children.OfType<YamlMappingNode>())
            {
                var name = Scalar(group, "name") ?? "";
                int? interval = Scalar(group, "interval") is { } i ? PromDuration.Parse(i) : null;
                groups.Add((Path.GetFileName(file), name, interval));
                if (Child(group, "rules") is not YamlSequenceNode ruleNodes)
                {
                    continue;
                }

                foreach (var rule in ruleNodes.Children.OfType<YamlMappingNode>())
                {
                    var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (Child(rule, "labels") is YamlMappingNode labelNodes)
                    {
                        foreach (var (k, v) in labelNodes.Children)
                        {
                            labels[((YamlScalarNode)k).Value ?? ""] = (v as YamlScalarNode)?.Value ?? "";
                        }
                    }

                    rules.Add(new Rule(
                        Path.GetFileName(file),
                        name,
                        interval ?? globalIntervalSeconds,
                        Scalar(rule, "record"),
                        Scalar(rule, "alert"),
                        Scalar(rule, "expr") ?? throw new InvalidDataException($"{file}: a rule of group {name} has no expr"),
                        PromDuration.Parse(Scalar(rule, "for") ?? "0s"),
                        PromDuration.Parse(Scalar(rule, "keep_firing_for") ?? "0s"),
                        labels));
                }
            }
        }

        return new RuleSet(rules, groups);
    }

    /// <summary>The global evaluation_interval of a prometheus.yml (15 s when absent).</summary>
    public static int GlobalEvaluationInterval(string prometheusYml)
    {
        if (!File.Exists(prometheusYml))
        {
            return 15;
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(prometheusYml))
        {
            yaml.Load(reader);
        }

        return yaml.Documents[0].RootNode is YamlMappingNode root && Child(root, "global") is YamlMappingNode global && Scalar(global, "evaluation_interval") is { } text
            ? PromDuration.Parse(text)
            : 15;
    }

    /// <summary>Names of the metrics an expression selects (string literals removed; label names never match a record).</summary>
    public static IEnumerable<string> Identifiers(string expr) =>
        Identifier().Matches(StringLiteral().Replace(expr, "\"\"")).Select(m => m.Value);

    /// <summary>Whether the alert reads Prometheus' own alert state (ALERTS, ALERTS_FOR_STATE).</summary>
    public static bool ReadsAlertState(Rule rule) => Identifiers(rule.Expr).Any(i => i is "ALERTS" or "ALERTS_FOR_STATE");

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
