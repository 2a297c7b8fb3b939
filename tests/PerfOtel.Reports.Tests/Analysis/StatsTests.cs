using PerfOtel.Reports.Analysis;

namespace PerfOtel.Reports.Tests.Analysis;

public class StatsTests
{
    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        double[] values = [7, 1, 3, 5];
        Assert.Equal(1, Stats.Quantile(values, 0));
        Assert.Equal(2.5, Stats.Quantile(values, 0.25));
        Assert.Equal(4, Stats.Median(values));
        Assert.Equal(7, Stats.Quantile(values, 1));
    }

    [Fact]
    public void Welch_z_is_the_difference_of_means_over_its_standard_error()
    {
        double[] a = [10, 12, 11, 13, 9];
        double[] b = [14, 16, 15, 17, 13];
        // Both variances 2.5, n = 5: se = sqrt(0.5 + 0.5) = 1; difference 4.
        Assert.Equal(4, Stats.WelchZ(a, b)!.Value, 9);
        Assert.Null(Stats.WelchZ([1], b));
        Assert.Equal(Stats.MaxZ, Stats.WelchZ([1, 1, 1], [2, 2, 2]));
        Assert.Equal(0, Stats.WelchZ([1, 1, 1], [1, 1]));
    }

    [Fact]
    public void Two_proportion_z_uses_the_pooled_proportion()
    {
        // 90/100 then 80/100: pooled 0.85, se = sqrt(0.85 × 0.15 × 0.02) = 0.0505; z = -0.1 / 0.0505.
        Assert.Equal(-1.98, Stats.TwoProportionZ(90, 100, 80, 100)!.Value, 2);
        Assert.Null(Stats.TwoProportionZ(0, 0, 1, 2));
    }

    [Fact]
    public void Moving_average_trails_and_skips_gaps()
    {
        Assert.Equal([1, 1.5, 2.5, 3, 4], Stats.MovingAverage([1, 2, 3, null, 4], 2));
    }

    [Fact]
    public void A_line_through_exact_points_forecasts_their_continuation_with_no_width()
    {
        var fit = LinearFit.Of([1, 3, 5, 7, 9])!;
        Assert.Equal((1, 2, 1.0), (fit.Intercept, fit.Slope, fit.RSquared));
        var (sum, low, high) = fit.ForecastSum(2); // 11 + 13
        Assert.Equal(24, sum, 9);
        Assert.Equal(24, low, 9);
        Assert.Equal(24, high, 9);
    }

    [Fact]
    public void The_95_percent_interval_of_a_sum_covers_about_95_percent_of_noisy_futures()
    {
        var random = new Random(7);
        var covered = 0;
        const int Trials = 400;
        for (var t = 0; t < Trials; t++)
        {
            double Next(int x) => 5 + (0.3 * x) + Normal(random);
            var history = Enumerable.Range(0, 48).Select(Next).ToArray();
            var truth = Enumerable.Range(48, 24).Sum(Next);
            var (_, low, high) = LinearFit.Of(history)!.ForecastSum(24);
            covered += truth >= low && truth <= high ? 1 : 0;
        }

        Assert.InRange(covered / (double)Trials, 0.91, 0.99);
    }

    [Fact]
    public void Forecasts_need_six_buckets_and_are_never_negative()
    {
        Assert.Null(PerfOtel.Reports.Analysis.Forecaster.SumOfNext([1, 2, 3, 4, 5], 3));
        var (value, low, _) = PerfOtel.Reports.Analysis.Forecaster.SumOfNext([10, 8, 6, 4, 2, 1], 10)!.Value;
        Assert.Equal(0, value);
        Assert.Equal(0, low);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
