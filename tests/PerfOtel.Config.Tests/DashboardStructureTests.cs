using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PerfOtel.Config.Tests;

/// <summary>
/// grafana/dashboards/*.json: structure Grafana relies on (ids, layout, the datasource variable), template variables
/// used in queries, PromQL syntax (checked by promtool) and metric names against docs/ARCHITECTURE.md.
/// </summary>
public partial class DashboardStructureTests
{
    private static readonly JsonObject PrometheusVariable = new() { ["type"] = "prometheus", ["uid"] = "${datasource}" };

    /// <summary>Series that exist without being in the contract's table: Prometheus' own and the collector runtime's.</summary>
    private static readonly string[] ExtraMetrics = ["up", "ALERTS", "ALERTS_FOR_STATE", "target_info"];

    private static readonly string[] ExtraMetricPrefixes = ["process_", "dotnet_"];

    private static readonly string[] PromQlKeywords =
        ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan"];

    public static TheoryData<string> Dashboards =>
        new(Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json").Select(Path.GetFileName).Order()!);

    [Fact]
    public void There_is_at_least_one_dashboard()
    {
        Assert.NotEmpty(Dashboards);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_parses_with_uid_title_and_schema_version(string file)
    {
        var d = Load(file);
        Assert.False(string.IsNullOrWhiteSpace((string?)d["uid"]), "uid");
        Assert.False(string.IsNullOrWhiteSpace((string?)d["title"]), "title");
        Assert.True((int?)d["schemaVersion"] >= 36, "schemaVersion");
        Assert.NotEmpty(Panels(d));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Panel_ids_are_unique(string file)
    {
        var ids = Panels(Load(file)).Select(p => (int?)p["id"]).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_panel_has_a_grid_position_inside_the_24_column_grid(string file)
    {
        foreach (var p in Panels(Load(file)))
        {
            var g = p["gridPos"] as JsonObject;
            Assert.True(g is not null, $"panel {p["id"]} has no gridPos");
            int x = (int)g["x"]!, w = (int)g["w"]!, h = (int)g["h"]!;
            Assert.True((int)g["y"]! >= 0 && x >= 0 && w > 0 && h > 0 && x + w <= 24, $"panel {p["id"]}: gridPos {g.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Datasource_variable_selects_a_prometheus_datasource(string file)
    {
        var v = Variables(Load(file)).SingleOrDefault(v => (string?)v["name"] == "datasource");
        Assert.True(v is not null, "no `datasource` template variable");
        Assert.Equal("datasource", (string?)v["type"]);
        Assert.Equal("prometheus", (string?)v["query"]);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_panel_target_and_query_variable_uses_the_datasource_variable(string file)
    {
        var d = Load(file);
        foreach (var p in Panels(d).Where(p => (string?)p["type"] != "row"))
        {
            Assert.True(JsonNode.DeepEquals(PrometheusVariable, p["datasource"]), $"panel {p["id"]}: datasource {p["datasource"]?.ToJsonString()}");
            foreach (var t in Targets(p).Where(t => t["datasource"] is not null))
            {
                Assert.True(JsonNode.DeepEquals(PrometheusVariable, t["datasource"]), $"panel {p["id"]} target {t["refId"]}: datasource");
            }
        }

        foreach (var v in Variables(d).Where(v => (string?)v["type"] == "query"))
        {
            Assert.True(JsonNode.DeepEquals(PrometheusVariable, v["datasource"]), $"variable {v["name"]}: datasource");
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_panel_has_a_unit(string file)
    {
        foreach (var p in Panels(Load(file)).Where(p => (string?)p["type"] != "row"))
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)p["fieldConfig"]?["defaults"]?["unit"]), $"panel {p["id"]} ({p["title"]}) has no unit");
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_variable_used_in_a_query_is_defined(string file)
    {
        var d = Load(file);
        var defined = Variables(d).Select(v => (string?)v["name"]).ToHashSet();
        var queries = Exprs(d).Select(e => e.Expr).Concat(VariableQueries(d));
        foreach (var q in queries)
        {
            foreach (Match m in VariableReference().Matches(q))
            {
                var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["c"].Value;
                Assert.True(name.StartsWith("__", StringComparison.Ordinal) || defined.Contains(name), $"${name} is not a template variable (in {q})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_expr_is_valid_promql_after_variable_substitution(string file)
    {
        var exprs = Exprs(Load(file)).ToList();
        Assert.NotEmpty(exprs);

        // promtool has no offline "parse this query", but `check rules` parses every rule's expr. JSON is YAML.
        var rules = new JsonArray(exprs.Select((e, i) => (JsonNode)new JsonObject
        {
            ["record"] = $"dashboard:expr_{i}:panel_{e.PanelId}_{e.RefId}",
            ["expr"] = Substitute(e.Expr),
        }).ToArray());
        var doc = new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = "dashboard", ["rules"] = rules }) };
        var path = Path.Combine(Path.GetTempPath(), $"perfotel-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, doc.ToJsonString(), TestContext.Current.CancellationToken);
        try
        {
            ToolResult r;
            try
            {
                r = await ToolRun.RunAsync("promtool", ["check", "rules", path]);
            }
            catch (Win32Exception e)
            {
                Assert.Fail("promtool is not installed (deploy/native/install-deps.sh installs it): " + e.Message);
                throw;
            }

            Assert.True(r.ExitCode == 0, $"promtool rejected a dashboard expr:\n{r.Output}\n{doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_metric_in_a_query_is_in_the_architecture_contract(string file)
    {
        var d = Load(file);
        var contract = ContractMetrics();
        Assert.Contains("agent_run_duration_seconds_count", contract);
        // label_values(SELECTOR, LABEL): only the selector names series.
        var queries = Exprs(d).Select(e => e.Expr).Concat(VariableQueries(d).Select(q => LabelValues().Match(q) is { Success: true } m ? m.Groups["selector"].Value : q));
        foreach (var q in queries)
        {
            foreach (var metric in MetricNames(q))
            {
                Assert.True(contract.Contains(metric) || ExtraMetrics.Contains(metric) || ExtraMetricPrefixes.Any(p => metric.StartsWith(p, StringComparison.Ordinal)),
                    $"{metric} (in {q}) is not a series named in docs/ARCHITECTURE.md");
            }
        }
    }

    /// <summary>Grafana's forms: $name, ${name} / ${name:format}, [[name]].</summary>
    [GeneratedRegex(@"\$(?<a>\w+)|\$\{(?<b>\w+)(?::[^}]*)?\}|\[\[(?<c>\w+)(?::[^\]]*)?\]\]")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\s*label_values\((?:(?<selector>.*),)?\s*\w+\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex MatchersAndRanges();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][\w:]*)\b(?!\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"`([a-z_][a-z0-9_]*?)(?:_\{([a-z_,]+)\})?`")]
    private static partial Regex ContractSeries();

    /// <summary>The metric names a PromQL expression selects (not functions, keywords, labels or numbers).</summary>
    internal static IEnumerable<string> MetricNames(string expr)
    {
        var stripped = StringLiteral().Replace(expr, " ");
        stripped = GroupingClause().Replace(stripped, " ");
        stripped = MatchersAndRanges().Replace(stripped, " ");
        return Identifier().Matches(stripped).Select(m => m.Groups["name"].Value)
            .Where(n => !PromQlKeywords.Contains(n.ToLowerInvariant()));
    }

    /// <summary>Prometheus series from the "Metrics" table of docs/ARCHITECTURE.md (its third column), expanded.</summary>
    private static HashSet<string> ContractMetrics()
    {
        var names = new HashSet<string>();
        var inMetrics = false;
        foreach (var line in File.ReadLines(RepoPaths.Of("docs", "ARCHITECTURE.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inMetrics = line.StartsWith("## Metrics", StringComparison.Ordinal);
                continue;
            }

            var cells = line.Split('|');
            if (!inMetrics || cells.Length < 5)
            {
                continue;
            }

            foreach (Match m in ContractSeries().Matches(cells[3]))
            {
                if (m.Groups[2].Success)
                {
                    names.UnionWith(m.Groups[2].Value.Split(',').Select(s => m.Groups[1].Value + "_" + s));
                }
                else
                {
                    names.Add(m.Groups[1].Value);
                }
            }
        }

        return names;
    }

    private static string Substitute(string expr)
    {
        var s = Regex.Replace(expr, @"\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}", "5m");
        return VariableReference().Replace(s, ".*");
    }

    private static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Of("grafana", "dashboards", file)))!.AsObject();

    /// <summary>All panels, including those nested in collapsed rows.</summary>
    private static List<JsonObject> Panels(JsonObject dashboard)
    {
        var all = new List<JsonObject>();
        foreach (var p in (dashboard["panels"] as JsonArray ?? []).OfType<JsonObject>())
        {
            all.Add(p);
            all.AddRange((p["panels"] as JsonArray ?? []).OfType<JsonObject>());
        }

        return all;
    }

    private static IEnumerable<JsonObject> Targets(JsonObject panel) => (panel["targets"] as JsonArray ?? []).OfType<JsonObject>();

    private static IEnumerable<JsonObject> Variables(JsonObject dashboard) =>
        (dashboard["templating"]?["list"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The PromQL (or label_values/query_result) of the `query` variables; other types are not queries.</summary>
    private static IEnumerable<string> VariableQueries(JsonObject dashboard) =>
        Variables(dashboard).Where(v => (string?)v["type"] == "query")
            .Select(v => v["query"] is JsonObject q ? (string?)q["query"] ?? "" : (string?)v["query"] ?? "");

    private static IEnumerable<(int PanelId, string RefId, string Expr)> Exprs(JsonObject dashboard) =>
        Panels(dashboard).SelectMany(p => Targets(p)
            .Where(t => !string.IsNullOrWhiteSpace((string?)t["expr"]))
            .Select(t => ((int?)p["id"] ?? -1, (string?)t["refId"] ?? "X", (string)t["expr"]!)));
}
