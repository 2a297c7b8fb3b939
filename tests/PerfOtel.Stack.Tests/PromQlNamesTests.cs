using PerfOtel.Stack.Tests.Fixture;

namespace PerfOtel.Stack.Tests;

public sealed class PromQlNamesTests
{
    [Theory]
    [InlineData("up{job=\"perfotel-collector\"} == 0 or absent(up{job=\"perfotel-collector\"})", "up")]
    [InlineData("histogram_quantile(0.95, sum by (gen_ai_agent_name, le) (rate(agent_run_duration_seconds_bucket{x=~\"$agent\"}[$__rate_interval])))", "agent_run_duration_seconds_bucket")]
    [InlineData("a:b:rate5m > 0.05 and on (gen_ai_provider_name) c_total offset 1h >= 1e-3", "a:b:rate5m,c_total")]
    [InlineData("sum without (instance) (increase(x_total[5m])) / ignoring(reason) group_left y", "x_total,y")]
    [InlineData("a_total # the band's bottom: no run in 15 minutes\n  and b{x=\"#not-a-comment\"} # yesterday's lull\n", "a_total,b")]
    public void Extracts_only_metric_names(string expr, string expected) =>
        Assert.Equal(expected.Split(',').Order(), PromQlNames.Extract(expr).Order());
}
