using System.Text.RegularExpressions;
using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Stack.Tests;

/// <summary>
/// No inert rule or panel: every metric a shipped rule or dashboard reads exists in the live stack, and every
/// dashboard panel returns data from real Prometheus after real traffic.
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class LiveStackTests(StackFixture stack)
{
    /// <summary>
    /// Built into Prometheus (exist only while some alert is pending or firing), or created by the first event of
    /// their kind that this stack never sees: the test Alertmanager posts to a local listener, not the collector's
    /// /v1/alerts (perfotel_alert_notifications_total).
    /// </summary>
    private static readonly HashSet<string> PrometheusBuiltIns = ["ALERTS", "ALERTS_FOR_STATE", "perfotel_alert_notifications_total"];

    /// <summary>
    /// Dashboard queries that are empty by design on this stack, each with why ("dashboard file / panel title"). Their
    /// queries still have to run without error; they are only excused from returning data.
    /// </summary>
    private static readonly Dictionary<string, string> EmptyByDesign = new(StringComparer.Ordinal)
    {
        ["perfotel-alerts.json / Firing now"] = NoAlertNeedFire,
        ["perfotel-alerts.json / Alert history"] = NoAlertNeedFire,
        ["perfotel-alerts.json / Firing alerts by severity"] = NoAlertNeedFire,
        ["perfotel-alerts.json / Time firing in range"] = NoAlertNeedFire,
        ["perfotel-alerts.json / Time to resolve"] = NoAlertNeedFire,
        ["perfotel-alerts.json / Notifications sent in range"] =
            "counts notifications posted to the collector's /v1/alerts; this stack's Alertmanager posts to a local listener instead",
    };

    private const string NoAlertNeedFire =
        "shows alerts firing now or in the range; none need fire here (the demo fleet runs without incidents, other tests' alerts come and go)";

    private const string PreviousPeriod = "compares with the period `$shift` earlier (7d by default), before this stack existed";

    [Fact]
    public async Task Every_metric_read_by_rules_dashboards_and_variables_exists_in_the_live_stack()
    {
        await stack.EnsureTrafficAsync();
        // Recorded by groups evaluated every few minutes or hours: maybe not yet evaluated on a fresh stack.
        var late = StackQueries.LateRecordedNames(TimeSpan.FromMinutes(1));
        var wanted = StackQueries.RuleExpressions()
            .Concat(StackQueries.DashboardTargets().Select(t => new ShippedQuery($"{t.Dashboard}: {t.Panel}", StackQueries.Substitute(t.Expr))))
            .Concat(StackQueries.VariableMetricQueries())
            .SelectMany(q => PromQlNames.Extract(q.Expr).Select(name => (name, q.Source)))
            .Where(x => !PrometheusBuiltIns.Contains(x.name) && !late.Contains(x.name))
            .ToList();
        Assert.NotEmpty(wanted);

        // Recording rules need two evaluations over fresh data: poll a little before calling a name missing.
        List<(string name, string Source)> missing = [];
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var live = await stack.Prometheus.MetricNamesAsync();
            missing = wanted.Where(x => !live.Contains(x.name)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            await Task.Delay(1000);
        }

        Assert.Fail("metrics used but not in the live stack:\n" + string.Join('\n', missing.Select(m => $"{m.name}  ({m.Source})")));
    }

    [Fact]
    public async Task Every_dashboard_panel_query_returns_data_with_variables_at_all()
    {
        // After the demo fleet (src/PerfOtel.DemoFleet) has run against the real collector and Prometheus.
        await stack.EnsureTrafficAsync();
        await stack.EnsureDemoFleetTrafficAsync();
        var queries = StackQueries.DashboardQueries().ToList();
        Assert.NotEmpty(queries);
        var failures = new List<string>();
        var excused = new List<string>();
        foreach (var (dashboard, panel, refId, expr, _) in queries)
        {
            var q = AllValues().Replace(StackQueries.Substitute(expr), ".*");
            var why = EmptyByDesign.GetValueOrDefault($"{dashboard} / {panel}")
                ?? (refId == StackQueries.AnnotationRefId && expr.Contains("ALERTS{", StringComparison.Ordinal) ? NoAlertNeedFire : null)
                ?? (expr.Contains("offset $shift", StringComparison.Ordinal) || expr.Contains(" offset ", StringComparison.Ordinal) ? PreviousPeriod : null);
            var empty = true;
            for (var attempt = 0; attempt < 20 && empty; attempt++)
            {
                try
                {
                    empty = (await stack.Prometheus.VectorAsync(q)).Length == 0;
                }
                catch (InvalidOperationException e)
                {
                    failures.Add($"{dashboard} / {panel} [{refId}]: query failed: {e.Message}");
                    break;
                }

                if (empty && why is not null)
                {
                    break;
                }

                if (empty)
                {
                    await Task.Delay(1000);
                }
            }

            if (empty && why is null)
            {
                failures.Add($"{dashboard} / {panel} [{refId}]: no data for {q}");
            }
            else if (empty)
            {
                excused.Add($"{dashboard} / {panel} [{refId}]: empty by design: {why}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{queries.Count} dashboard queries, {queries.Count - excused.Count - failures.Count} with data\n" + string.Join('\n', excused));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_template_variable_lists_values_in_the_live_stack()
    {
        await stack.EnsureDemoFleetTrafficAsync();
        var variables = StackQueries.VariableLabelQueries().ToList();
        Assert.NotEmpty(variables);
        var failures = new List<string>();
        foreach (var (dashboard, variable, selector, label) in variables)
        {
            var match = AllValues().Replace(selector, ".*");
            var answer = await stack.Prometheus.GetAsync($"/api/v1/label/{label}/values?match[]={Uri.EscapeDataString(match)}");
            if (answer.GetProperty("status").GetString() != "success" || answer.GetProperty("data").GetArrayLength() == 0)
            {
                failures.Add($"{dashboard} ${variable}: no values for label_values({match}, {label}): {answer.GetRawText()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>A template variable ($agent, ${model}, ...) with All selected: Grafana sends a regex that matches all.</summary>
    [GeneratedRegex(@"\$\{?[a-zA-Z]\w*(:\w+)?\}?")]
    private static partial Regex AllValues();
}
