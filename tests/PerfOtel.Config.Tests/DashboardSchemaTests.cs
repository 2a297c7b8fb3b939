using System.ComponentModel;

namespace PerfOtel.Config.Tests;

/// <summary>
/// grafana/dashboards/*.json against Grafana's published dashboard schema: the TypeScript types of the
/// <c>@grafana/schema</c> npm package (the dashboard model and each panel plugin's options and field config),
/// type-checked by the TypeScript compiler (grafana/schema-check/check.mjs says where the check is wider than the
/// types and why). Needs Node.js and <c>npm ci --prefix grafana/schema-check</c> (deploy/native/install-deps.sh).
/// </summary>
public sealed class DashboardSchemaTests
{
    [Fact]
    public async Task Every_dashboard_conforms_to_the_published_grafana_schema()
    {
        var checker = RepoPaths.Of("grafana", "schema-check");
        Assert.True(Directory.Exists(Path.Combine(checker, "node_modules", "@grafana", "schema")) && Directory.Exists(Path.Combine(checker, "node_modules", "typescript")),
            "@grafana/schema is not installed: run `npm ci --prefix grafana/schema-check` (deploy/native/install-deps.sh does)");
        var dashboards = Directory.GetFiles(RepoPaths.Of("grafana", "dashboards"), "*.json").Order().ToList();
        Assert.NotEmpty(dashboards);

        ToolResult r;
        try
        {
            r = await ToolRun.RunAsync("node", [Path.Combine(checker, "check.mjs"), .. dashboards], timeout: TimeSpan.FromMinutes(2));
        }
        catch (Win32Exception e)
        {
            Assert.Fail("node (Node.js) is not installed: " + e.Message);
            throw;
        }

        Assert.True(r.ExitCode == 0, $"dashboards do not match @grafana/schema:\n{r.Output}");
        Assert.Contains("conform to @grafana/schema", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_check_rejects_a_dashboard_that_breaks_the_schema()
    {
        // The check itself must be able to fail: an unknown grid property and an impossible colour mode.
        var checker = RepoPaths.Of("grafana", "schema-check");
        Assert.SkipUnless(Directory.Exists(Path.Combine(checker, "node_modules", "@grafana", "schema")), "@grafana/schema is not installed (the test above fails for it)");
        var bad = Path.Combine(Path.GetTempPath(), $"perfotel-bad-dashboard-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, """
            {"uid": "bad", "title": "bad", "schemaVersion": 39, "editable": false,
             "panels": [{"id": 1, "type": "stat", "title": "x", "gridPos": {"x": 0, "y": 0, "w": 4, "h": 4, "wide": 3},
                         "options": {"colorMode": "rainbow"}}]}
            """, TestContext.Current.CancellationToken);
        try
        {
            var r = await ToolRun.RunAsync("node", [Path.Combine(checker, "check.mjs"), bad], timeout: TimeSpan.FromMinutes(2));
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("'\"wide\"' does not exist", r.Output, StringComparison.Ordinal);
            Assert.Contains("\"rainbow\"", r.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
