using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>A PromQL expression shipped in the repo, with where it comes from.</summary>
public sealed record ShippedQuery(string Source, string Expr);

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

    /// <summary>Panel targets of every dashboard (rows' nested panels included).</summary>
    public static IEnumerable<(string Dashboard, string Panel, string Expr)> DashboardTargets()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
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
                        yield return (Path.GetFileName(file), title, expr.GetString()!);
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

    /// <summary>Grafana's variables replaced by what Grafana would send with every variable at All.</summary>
    public static string Substitute(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("${__rate_interval}", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("${__interval}", "15s", StringComparison.Ordinal)
        .Replace("$__range", "1h", StringComparison.Ordinal)
        .Replace("${__range}", "1h", StringComparison.Ordinal)
        .Replace("$__range_s", "3600", StringComparison.Ordinal)
        .Replace("${__range_s}", "3600", StringComparison.Ordinal);

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
