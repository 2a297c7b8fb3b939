using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PerfOtel.Config.Tests;

/// <summary>
/// grafana/dashboards/*.json: structure Grafana relies on (ids, layout, the datasource variable), template variables
/// used in queries, PromQL syntax (checked by promtool), metric names against the contract (docs/ARCHITECTURE.md,
/// docs/cost-and-budgets.md, the recording rules), and what an operator relies on: the six dashboards of the
/// PerfOtel folder, linked to each other, with the same filters, alert annotations, units and thresholds.
/// Grafana's published schema: <see cref="DashboardSchemaTests"/>.
/// </summary>
public partial class DashboardStructureTests
{
    private static readonly JsonObject PrometheusVariable = new() { ["type"] = "prometheus", ["uid"] = "${datasource}" };

    /// <summary>Series that exist without being in a contract table: Prometheus' own and the collector runtime's.</summary>
    private static readonly string[] ExtraMetrics = ["up", "ALERTS", "ALERTS_FOR_STATE", "target_info"];

    /// <summary>
    /// The collector's process, .NET runtime and ASP.NET Core instrumentation (docs/ARCHITECTURE.md: "Plus process and
    /// runtime instrumentation"), and node_exporter's host metrics (scrape job <c>node</c>).
    /// </summary>
    private static readonly string[] ExtraMetricPrefixes = ["process_", "dotnet_", "http_server_", "kestrel_", "node_"];

    /// <summary>The dashboards of the PerfOtel folder (issue 5), by uid, and the home dashboard's file.</summary>
    private static readonly string[] ExpectedDashboards =
        ["perfotel-overview", "perfotel-agent-runs", "perfotel-llm", "perfotel-components", "perfotel-alerts", "perfotel-compare"];

    private static readonly string[] StandardVariables = ["datasource", "environment", "team", "agent", "model"];

    private static readonly string[] ThresholdPanelTypes = ["stat", "bargauge", "gauge"];

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
        var queries = Exprs(d).Select(e => e.Expr).Concat(VariableQueries(d)).Concat(AnnotationExprs(d));
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
        var d = Load(file);
        var rules = new JsonArray(exprs.Concat(AnnotationExprs(d).Select(a => (PanelId: 0, RefId: "annotation", Expr: a))).Select((e, i) => (JsonNode)new JsonObject
        {
            ["record"] = $"dashboard:expr_{i}:panel_{e.PanelId}_{e.RefId}",
            ["expr"] = Substitute(e.Expr, d),
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
        Assert.Contains("agent_llm_cost_usd_total", contract);
        // label_values(SELECTOR, LABEL): only the selector names series.
        var queries = Exprs(d).Select(e => Substitute(e.Expr, d)).Concat(AnnotationExprs(d))
            .Concat(VariableQueries(d).Select(q => LabelValues().Match(q) is { Success: true } m ? m.Groups["selector"].Value : q));
        foreach (var q in queries)
        {
            foreach (var metric in MetricNames(q))
            {
                Assert.True(contract.Contains(metric) || ExtraMetrics.Contains(metric) || ExtraMetricPrefixes.Any(p => metric.StartsWith(p, StringComparison.Ordinal)),
                    $"{metric} (in {q}) is not a series named in a metrics table of docs/*.md nor recorded by prometheus/rules");
            }
        }
    }

    [Fact]
    public void The_PerfOtel_folder_has_the_six_dashboards_and_the_home_dashboard()
    {
        var uids = Dashboards.Select(f => (string?)Load(f)["uid"]).ToList();
        Assert.Equal(ExpectedDashboards.Order(), uids.Order());
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.True(File.Exists(RepoPaths.Of("grafana", "dashboards", "perfotel-overview.json")), "compose and the native runner make perfotel-overview.json the home dashboard");

        var provisioning = File.ReadAllText(RepoPaths.Of("grafana", "provisioning", "dashboards", "perfotel.yml"));
        Assert.Matches(@"(?m)^\s+folder:\s*PerfOtel\s*$", provisioning);
        Assert.Matches(@"(?m)^\s+path:\s*/etc/grafana/dashboards/perfotel\s*$", provisioning);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_dashboard_has_the_standard_template_variables(string file)
    {
        var variables = Variables(Load(file)).ToDictionary(v => (string)v["name"]!);
        foreach (var name in StandardVariables)
        {
            Assert.True(variables.ContainsKey(name), $"no `{name}` variable");
        }

        foreach (var name in StandardVariables.Skip(1))
        {
            var v = variables[name];
            Assert.Equal("query", (string?)v["type"]);
            Assert.True((bool?)v["includeAll"] == true && (bool?)v["multi"] == true, $"`{name}`: All and multi-value");
            // Series without the label (a call that names no team) must match All too. The agent's All is the list
            // of agents instead: series pre-aggregated per agent (recording rules) then follow the team chosen.
            Assert.Equal(name == "agent" ? null : ".*", (string?)v["allValue"]);
            Assert.Equal("$__all", (string?)(v["current"]?["value"] as JsonArray)?[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_dashboard_links_to_the_other_PerfOtel_dashboards_keeping_time_and_variables(string file)
    {
        var d = Load(file);
        Assert.Contains("perfotel", (d["tags"] as JsonArray ?? []).Select(t => (string?)t));
        var link = (d["links"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(l => (string?)l["type"] == "dashboards");
        Assert.True(link is not null, "no dashboards link");
        Assert.Contains("perfotel", (link["tags"] as JsonArray ?? []).Select(t => (string?)t));
        Assert.True((bool?)link["includeVars"] == true && (bool?)link["keepTime"] == true, "the link keeps the time range and the variables");

        // Panel links to another dashboard name one that exists.
        foreach (var p in Panels(d))
        {
            foreach (var l in (p["links"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var m = Regex.Match((string?)l["url"] ?? "", @"^/d/(?<uid>[\w-]+)");
                Assert.True(m.Success && ExpectedDashboards.Contains(m.Groups["uid"].Value), $"panel {p["id"]}: link {l["url"]} is not to a PerfOtel dashboard");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboards_with_time_series_annotate_firing_alerts(string file)
    {
        var d = Load(file);
        if (!Panels(d).Any(p => (string?)p["type"] is "timeseries" or "state-timeline"))
        {
            return;
        }

        var annotations = (d["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var alerts = annotations.FirstOrDefault(a => ((string?)a["expr"] ?? "").Contains("ALERTS{", StringComparison.Ordinal));
        Assert.True(alerts is not null, "no annotation from the ALERTS series");
        Assert.True((bool?)alerts["enable"] == true, "the alert annotation is on by default");
        Assert.True(JsonNode.DeepEquals(PrometheusVariable, alerts["datasource"]), "the alert annotation queries ${datasource}");
        Assert.Contains("alertstate=\"firing\"", (string)alerts["expr"]!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Value_panels_have_ascending_thresholds_and_threshold_lines_have_steps(string file)
    {
        foreach (var p in Panels(Load(file)).Where(p => (string?)p["type"] != "row"))
        {
            var defaults = p["fieldConfig"]?["defaults"];
            var thresholdLine = (string?)defaults?["custom"]?["thresholdsStyle"]?["mode"] is { } mode && mode != "off";
            if (!ThresholdPanelTypes.Contains((string?)p["type"]) && !thresholdLine)
            {
                continue;
            }

            var steps = (defaults?["thresholds"]?["steps"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            Assert.True(steps.Count > 0, $"panel {p["id"]} ({p["title"]}): no thresholds");
            Assert.True(steps[0]["value"] is null, $"panel {p["id"]} ({p["title"]}): the first step is the base (value null)");
            var values = steps.Skip(1).Select(s => (double)s["value"]!).ToList();
            Assert.True(values.SequenceEqual(values.Order()), $"panel {p["id"]} ({p["title"]}): threshold steps not ascending");
            if (thresholdLine)
            {
                Assert.True(steps.Count > 1, $"panel {p["id"]} ({p["title"]}): a threshold line needs a step above the base");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void No_datasource_uid_is_hard_coded_but_the_provisioned_one(string file)
    {
        var provisioned = Regex.Match(File.ReadAllText(RepoPaths.Of("grafana", "provisioning", "datasources", "prometheus.yml")), @"(?m)^\s+uid:\s*(?<uid>\S+)\s*$").Groups["uid"].Value;
        Assert.Equal("perfotel-prometheus", provisioned);
        var d = Load(file);
        foreach (var (path, reference) in DatasourceReferences(d, "$"))
        {
            var uid = (string?)reference["uid"];
            var builtIn = (string?)reference["type"] == "grafana" && uid == "-- Grafana --";
            Assert.True(uid == "${datasource}" || builtIn, $"{path}: datasource uid '{uid}' (only ${{datasource}})");
        }

        var variable = Variables(d).Single(v => (string?)v["name"] == "datasource");
        Assert.Equal(provisioned, (string?)variable["current"]?["value"]);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Panels_do_not_overlap_and_fit_a_laptop_screen(string file)
    {
        var boxes = Panels(Load(file)).Select(p => (Id: (int)p["id"]!, Type: (string?)p["type"], G: p["gridPos"]!.AsObject())).ToList();
        foreach (var (id, type, g) in boxes)
        {
            // 24 columns on a 1366 px laptop: narrower than 3 columns is unreadable; taller than 12 rows scrolls.
            Assert.True(type == "row" || ((int)g["w"]! >= 3 && (int)g["h"]! <= 12), $"panel {id}: gridPos {g.ToJsonString()}");
        }

        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i].G, boxes[j].G);
                var overlap = (int)a["x"]! < (int)b["x"]! + (int)b["w"]! && (int)b["x"]! < (int)a["x"]! + (int)a["w"]!
                    && (int)a["y"]! < (int)b["y"]! + (int)b["h"]! && (int)b["y"]! < (int)a["y"]! + (int)a["h"]!;
                Assert.False(overlap, $"panels {boxes[i].Id} and {boxes[j].Id} overlap");
            }
        }
    }

    /// <summary>Every <c>datasource</c> object anywhere in the dashboard, with its JSON path.</summary>
    private static IEnumerable<(string Path, JsonObject Reference)> DatasourceReferences(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "datasource" && value is JsonObject reference)
                    {
                        yield return ($"{path}.{key}", reference);
                    }

                    foreach (var inner in DatasourceReferences(value, $"{path}.{key}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var inner in DatasourceReferences(a[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
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

    [GeneratedRegex(@"(?m)^\s*-?\s*record:\s*(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*$")]
    private static partial Regex RecordName();

    /// <summary>The metric names a PromQL expression selects (not functions, keywords, labels or numbers).</summary>
    internal static IEnumerable<string> MetricNames(string expr)
    {
        var stripped = StringLiteral().Replace(expr, " ");
        stripped = GroupingClause().Replace(stripped, " ");
        stripped = MatchersAndRanges().Replace(stripped, " ");
        return Identifier().Matches(stripped).Select(m => m.Groups["name"].Value)
            .Where(n => !PromQlKeywords.Contains(n.ToLowerInvariant()));
    }

    /// <summary>
    /// Prometheus series of the contract: the "Prometheus series" column of every metrics table in docs/*.md
    /// (docs/ARCHITECTURE.md "Metrics", docs/cost-and-budgets.md "Cost metrics", ...), expanded, and every series a
    /// recording rule in prometheus/rules records.
    /// </summary>
    private static HashSet<string> ContractMetrics()
    {
        var names = new HashSet<string>();
        foreach (var doc in Directory.GetFiles(RepoPaths.Of("docs"), "*.md"))
        {
            AddTableSeries(doc, names);
        }

        foreach (var rules in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            foreach (Match m in RecordName().Matches(File.ReadAllText(rules)))
            {
                names.Add(m.Groups["name"].Value);
            }
        }

        return names;
    }

    private static void AddTableSeries(string doc, HashSet<string> names)
    {
        var column = -1;
        foreach (var line in File.ReadLines(doc))
        {
            var cells = line.Split('|');
            if (!line.TrimStart().StartsWith('|'))
            {
                column = -1;
                continue;
            }

            var header = Array.FindIndex(cells, c => c.Trim().Equals("Prometheus series", StringComparison.OrdinalIgnoreCase));
            if (header >= 0)
            {
                column = header;
                continue;
            }

            if (column < 0 || cells.Length <= column)
            {
                continue;
            }

            foreach (Match m in ContractSeries().Matches(cells[column]))
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
    }

    /// <summary>
    /// What Grafana would send: built-in intervals as durations ($__range_s as seconds), custom and textbox variables
    /// as their current value (they hold PromQL fragments such as an offset or an @ time), the others as a regex.
    /// </summary>
    private static string Substitute(string expr, JsonObject dashboard)
    {
        var s = Regex.Replace(expr, @"\$__range_s\b|\$\{__range_s\}", "300");
        s = Regex.Replace(s, @"\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}", "5m");
        foreach (var v in Variables(dashboard).Where(v => (string?)v["type"] is "custom" or "textbox"))
        {
            var value = v["current"]?["value"]?.GetValueKind() == JsonValueKind.String ? (string?)v["current"]!["value"] : (string?)v["query"];
            s = Regex.Replace(s, $@"\$\{{{v["name"]}(?::[^}}]*)?\}}|\${v["name"]}\b", (value ?? "").Replace("$", "$$", StringComparison.Ordinal));
        }

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

    /// <summary>The PromQL of the dashboard's Prometheus annotation queries.</summary>
    private static IEnumerable<string> AnnotationExprs(JsonObject dashboard) =>
        (dashboard["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(a => (string?)a["expr"]).Where(e => !string.IsNullOrWhiteSpace(e))!;

    private static IEnumerable<(int PanelId, string RefId, string Expr)> Exprs(JsonObject dashboard) =>
        Panels(dashboard).SelectMany(p => Targets(p)
            .Where(t => !string.IsNullOrWhiteSpace((string?)t["expr"]))
            .Select(t => ((int?)p["id"] ?? -1, (string?)t["refId"] ?? "X", (string)t["expr"]!)));
}
