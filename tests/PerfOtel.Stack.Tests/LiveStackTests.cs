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
    /// <summary>Built into Prometheus: exist only while some alert is pending or firing.</summary>
    private static readonly HashSet<string> PrometheusBuiltIns = ["ALERTS", "ALERTS_FOR_STATE"];

    /// <summary>
    /// Panels that are empty by design on a healthy stack, each with why. Their queries still have to run.
    /// </summary>
    private static readonly Dictionary<string, string> EmptyByDesign = new(StringComparer.Ordinal)
    {
        ["Active alerts"] = "shows firing alerts; whether any fires depends on which tests ran before",
    };

    [Fact]
    public async Task Every_metric_read_by_rules_dashboards_and_variables_exists_in_the_live_stack()
    {
        await stack.EnsureTrafficAsync();
        var wanted = StackQueries.RuleExpressions()
            .Concat(StackQueries.DashboardTargets().Select(t => new ShippedQuery($"{t.Dashboard}: {t.Panel}", t.Expr)))
            .Concat(StackQueries.VariableMetricQueries())
            .SelectMany(q => PromQlNames.Extract(q.Expr).Select(name => (name, q.Source)))
            .Where(x => !PrometheusBuiltIns.Contains(x.name))
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
        await stack.EnsureTrafficAsync();
        var targets = StackQueries.DashboardTargets().ToList();
        Assert.NotEmpty(targets);
        var failures = new List<string>();
        foreach (var (dashboard, panel, expr) in targets)
        {
            var q = AllValues().Replace(StackQueries.Substitute(expr), ".*");
            var empty = true;
            for (var attempt = 0; attempt < 20 && empty; attempt++)
            {
                try
                {
                    empty = (await stack.Prometheus.VectorAsync(q)).Length == 0;
                }
                catch (InvalidOperationException e)
                {
                    failures.Add($"{dashboard} / {panel}: query failed: {e.Message}");
                    break;
                }

                if (empty && EmptyByDesign.ContainsKey(panel))
                {
                    break;
                }

                if (empty)
                {
                    await Task.Delay(1000);
                }
            }

            if (empty && !EmptyByDesign.ContainsKey(panel))
            {
                failures.Add($"{dashboard} / {panel}: no data for {q}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>A template variable ($agent, ${model}, ...) with All selected: Grafana sends a regex that matches all.</summary>
    [GeneratedRegex(@"\$\{?[a-zA-Z]\w*(:\w+)?\}?")]
    private static partial Regex AllValues();
}
