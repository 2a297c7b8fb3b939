using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>A PromQL expression shipped in the repo, with where it comes from.</summary>
public sealed record ShippedQuery(string Source, string Expr);

/// <summary>One query of a dashboard: a panel target (or an annotation), as Grafana would send it but for its variables.</summary>
public sealed record DashboardQuery(string Dashboard, string Panel, string RefId, string Expr, bool Instant);

/// <summary>Every PromQL expression the shipped rules and dashboards use.</summary>
public static class StackQueries
{
    public static IEnumerable<ShippedQuery> RuleExpressions()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                yaml.Load(reader);
            }

            var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
            foreach (var group in groups.Cast<YamlMappingNode>())
            {
                foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
                {
                    var name = rule.Children.TryGetValue("record", out var r) ? r.ToString() : rule["alert"].ToString();
                    yield return new ShippedQuery($"{Path.GetFileName(file)}: {name}", rule["expr"].ToString());
                }
            }
        }
    }

    /// <summary>
    /// Series recorded by rule groups with their own long <c>interval</c> (baselines every 5 minutes, hourly rollups),
    /// and by rules that read those: their first evaluation may come minutes after Prometheus starts, so a
    /// short-lived stack may not have them yet.
    /// </summary>
    public static IReadOnlySet<string> LateRecordedNames(TimeSpan longerThan)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<(string Name, string Expr)>();
        foreach (var file in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml"))
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                yaml.Load(reader);
            }

            foreach (var group in ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"]).Cast<YamlMappingNode>())
            {
                var slow = group.Children.TryGetValue("interval", out var interval) && PromDuration(interval.ToString()) > longerThan;
                foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
                {
                    if (rule.Children.TryGetValue("record", out var r))
                    {
                        records.Add((r.ToString(), rule["expr"].ToString()));
                        if (slow)
                        {
                            names.Add(r.ToString());
                        }
                    }
                }
            }
        }

        // Readers of late series are late too (z-scores over baselines, ...): to a fixed point.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (name, expr) in records)
            {
                if (!names.Contains(name) && PromQlNames.Extract(expr).Any(names.Contains))
                {
                    names.Add(name);
                    changed = true;
                }
            }
        }

        return names;
    }

    private static TimeSpan PromDuration(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text.Trim(), @"^(\d+)(ms|s|m|h|d|w|y)$");
        if (!m.Success)
        {
            return TimeSpan.Zero;
        }

        var n = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            "w" => TimeSpan.FromDays(7 * n),
            _ => TimeSpan.FromDays(365 * n),
        };
    }

    /// <summary>
    /// Panel targets of every dashboard (rows' nested panels included), with the dashboard's custom and textbox
    /// variables replaced by their current values (they hold PromQL fragments: an offset, an @ time).
    /// </summary>
    public static IEnumerable<(string Dashboard, string Panel, string Expr)> DashboardTargets() =>
        DashboardQueries().Where(q => q.RefId != AnnotationRefId).Select(q => (q.Dashboard, q.Panel, q.Expr));

    /// <summary>The refId given to annotation queries in <see cref="DashboardQueries"/>.</summary>
    public const string AnnotationRefId = "annotation";

    /// <summary>
    /// Every PromQL query of every dashboard: panel targets and annotation queries (panel "annotation: NAME"), custom
    /// and textbox variables replaced by their current values.
    /// </summary>
    public static IEnumerable<DashboardQuery> DashboardQueries()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var dashboard = Path.GetFileName(file);
            var values = FixedVariables(doc.RootElement);
            foreach (var panel in Panels(doc.RootElement))
            {
                if (!panel.TryGetProperty("targets", out var targets))
                {
                    continue;
                }

                var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out var expr) && !string.IsNullOrWhiteSpace(expr.GetString()))
                    {
                        var refId = target.TryGetProperty("refId", out var r) ? r.GetString() ?? "" : "";
                        var instant = target.TryGetProperty("instant", out var i) && i.ValueKind == JsonValueKind.True;
                        yield return new DashboardQuery(dashboard, title, refId, WithValues(expr.GetString()!, values), instant);
                    }
                }
            }

            if (doc.RootElement.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("list", out var list))
            {
                foreach (var a in list.EnumerateArray())
                {
                    if (a.TryGetProperty("expr", out var expr) && !string.IsNullOrWhiteSpace(expr.GetString()))
                    {
                        yield return new DashboardQuery(dashboard, "annotation: " + a.GetProperty("name").GetString(), AnnotationRefId, WithValues(expr.GetString()!, values), Instant: false);
                    }
                }
            }
        }
    }

    /// <summary>Template-variable queries (label_values(metric, label)) of every dashboard.</summary>
    public static IEnumerable<ShippedQuery> VariableMetricQueries()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("templating", out var templating))
            {
                continue;
            }

            foreach (var v in templating.GetProperty("list").EnumerateArray())
            {
                if (v.GetProperty("type").GetString() != "query")
                {
                    continue;
                }

                var q = v.GetProperty("query");
                var text = q.ValueKind == JsonValueKind.Object ? q.GetProperty("query").GetString() : q.GetString();
                var m = System.Text.RegularExpressions.Regex.Match(text ?? "", @"label_values\((.+),\s*\w+\)\s*$");
                if (m.Success)
                {
                    yield return new ShippedQuery($"{Path.GetFileName(file)}: variable {v.GetProperty("name").GetString()}", m.Groups[1].Value);
                }
            }
        }
    }

    /// <summary>The <c>label_values(SELECTOR, LABEL)</c> query variables of every dashboard.</summary>
    public static IEnumerable<(string Dashboard, string Variable, string Selector, string Label)> VariableLabelQueries()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var v in doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
            {
                if (v.GetProperty("type").GetString() != "query")
                {
                    continue;
                }

                var q = v.GetProperty("query");
                var text = q.ValueKind == JsonValueKind.Object ? q.GetProperty("query").GetString() : q.GetString();
                var m = System.Text.RegularExpressions.Regex.Match(text ?? "", @"^\s*label_values\((.+),\s*(\w+)\)\s*$");
                if (m.Success)
                {
                    yield return (Path.GetFileName(file), v.GetProperty("name").GetString()!, m.Groups[1].Value, m.Groups[2].Value);
                }
            }
        }
    }

    /// <summary>Grafana's built-in variables replaced by what Grafana would send (1 h range, 15 s interval).</summary>
    public static string Substitute(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("${__rate_interval}", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("${__interval}", "15s", StringComparison.Ordinal)
        // $__range_s before $__range, which is its prefix.
        .Replace("$__range_s", "3600", StringComparison.Ordinal)
        .Replace("${__range_s}", "3600", StringComparison.Ordinal)
        .Replace("$__range", "1h", StringComparison.Ordinal)
        .Replace("${__range}", "1h", StringComparison.Ordinal);

    /// <summary>Custom and textbox variables: name to current value.</summary>
    private static Dictionary<string, string> FixedVariables(JsonElement dashboard)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!dashboard.TryGetProperty("templating", out var templating))
        {
            return values;
        }

        foreach (var v in templating.GetProperty("list").EnumerateArray())
        {
            var type = v.GetProperty("type").GetString();
            if (type is "custom" or "textbox" && v.TryGetProperty("current", out var current) && current.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                values[v.GetProperty("name").GetString()!] = value.GetString()!;
            }
        }

        return values;
    }

    private static string WithValues(string expr, Dictionary<string, string> values)
    {
        foreach (var (name, value) in values)
        {
            expr = System.Text.RegularExpressions.Regex.Replace(expr, $@"\$\{{{name}(?::[^}}]*)?\}}|\${name}\b", value.Replace("$", "$$", StringComparison.Ordinal));
        }

        return expr;
    }

    private static IEnumerable<JsonElement> Panels(JsonElement container)
    {
        if (!container.TryGetProperty("panels", out var panels))
        {
            yield break;
        }

        foreach (var p in panels.EnumerateArray())
        {
            yield return p;
            foreach (var nested in Panels(p))
            {
                yield return nested;
            }
        }
    }
}
