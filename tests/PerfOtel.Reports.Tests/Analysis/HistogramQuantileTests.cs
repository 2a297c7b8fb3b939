using PerfOtel.Reports.Prometheus;

namespace PerfOtel.Reports.Tests.Analysis;

/// <summary>The client-side <c>histogram_quantile</c> gives what Prometheus gives (values checked against Prometheus 2.42).</summary>
public class HistogramQuantileTests
{
    private static Dictionary<double, double> Buckets(params (string Le, double Count)[] buckets) =>
        buckets.ToDictionary(b => HistogramQuantile.UpperBound(b.Le)!.Value, b => b.Count);

    [Fact]
    public void Interpolates_within_the_bucket_holding_the_rank()
    {
        // planner of AgentHistory: 180 × 3 s, 120 × 8 s, 60 × 45 s.
        var planner = Buckets(("1.0", 0), ("2.0", 0), ("5.0", 180), ("10.0", 300), ("20.0", 300), ("30.0", 300), ("60.0", 360), ("+Inf", 360));
        Assert.Equal(30 + (30 * ((342 - 300) / 60.0)), HistogramQuantile.Of(0.95, planner), 9);
        Assert.Equal(2 + (3 * (180 / 180.0)), HistogramQuantile.Of(0.5, planner), 9);
    }

    [Fact]
    public void A_rank_in_the_inf_bucket_is_the_highest_finite_bound_and_nothing_is_nan()
    {
        Assert.Equal(60, HistogramQuantile.Of(0.99, Buckets(("60", 1), ("+Inf", 10))));
        Assert.True(double.IsNaN(HistogramQuantile.Of(0.5, Buckets(("60", 0), ("+Inf", 0)))));
        Assert.True(double.IsNaN(HistogramQuantile.Of(0.5, Buckets(("60", 3)))));
    }

    [Fact]
    public void Non_monotonic_counts_are_made_monotonic()
    {
        Assert.Equal(HistogramQuantile.Of(0.5, Buckets(("1", 5), ("2", 5), ("+Inf", 10))), HistogramQuantile.Of(0.5, Buckets(("1", 5), ("2", 4), ("+Inf", 10))));
    }
}
