namespace PerfOtel.Reports.Analysis;

/// <summary>The few statistics the reports use, written out so that every number can be explained.</summary>
internal static class Stats
{
    /// <summary>|z| at or above this is "larger than normal variation" (two-sided, about 95%).</summary>
    public const double SignificantZ = 1.96;

    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Sum() / values.Count;

    /// <summary>Sample standard deviation (n - 1); 0 for fewer than two values.</summary>
    public static double StdDev(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / (values.Count - 1));
    }

    /// <summary>The <paramref name="p"/> quantile with linear interpolation between order statistics (R's type 7).</summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);

    /// <summary>
    /// Welch's statistic for a difference of means: (mean(b) - mean(a)) / sqrt(var(a)/n(a) + var(b)/n(b)). Null when
    /// either side has fewer than two values; ±<see cref="MaxZ"/> when neither varies but the means differ.
    /// </summary>
    public static double? WelchZ(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            return null;
        }

        var se = Math.Sqrt((Math.Pow(StdDev(a), 2) / a.Count) + (Math.Pow(StdDev(b), 2) / b.Count));
        var diff = Mean(b) - Mean(a);
        return Bounded(se > 0 ? diff / se : diff == 0 ? 0 : Math.Sign(diff) * MaxZ);
    }

    /// <summary>Two-proportion z statistic (pooled) of successes x out of n, from a to b. Null without trials.</summary>
    public static double? TwoProportionZ(double xa, double na, double xb, double nb)
    {
        if (na <= 0 || nb <= 0)
        {
            return null;
        }

        var pooled = (xa + xb) / (na + nb);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1 / na) + (1 / nb)));
        var diff = (xb / nb) - (xa / na);
        return Bounded(se > 0 ? diff / se : diff == 0 ? 0 : Math.Sign(diff) * MaxZ);
    }

    /// <summary>The largest |z| reported: beyond it (e.g. two periods without any variation that differ) the difference is certain.</summary>
    public const double MaxZ = 99.9;

    private static double Bounded(double z) => Math.Clamp(z, -MaxZ, MaxZ);

    /// <summary>Trailing moving average over <paramref name="window"/> values (fewer at the start); nulls are skipped.</summary>
    public static double?[] MovingAverage(IReadOnlyList<double?> values, int window)
    {
        var result = new double?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            double sum = 0;
            var n = 0;
            for (var j = Math.Max(0, i - window + 1); j <= i; j++)
            {
                if (values[j] is { } v)
                {
                    sum += v;
                    n++;
                }
            }

            result[i] = n > 0 ? sum / n : null;
        }

        return result;
    }

    /// <summary>The 97.5% quantile of Student's t with <paramref name="df"/> degrees of freedom (table, then 1.96).</summary>
    public static double T975(int df) => df switch
    {
        <= 0 => double.NaN,
        1 => 12.706,
        2 => 4.303,
        3 => 3.182,
        4 => 2.776,
        5 => 2.571,
        6 => 2.447,
        7 => 2.365,
        8 => 2.306,
        9 => 2.262,
        10 => 2.228,
        <= 15 => 2.131,
        <= 20 => 2.086,
        <= 30 => 2.042,
        <= 60 => 2.000,
        <= 120 => 1.980,
        _ => 1.960,
    };
}

/// <summary>An ordinary least-squares line y = Intercept + Slope·x over x = 0, 1, 2, ...</summary>
internal sealed record LinearFit(double Intercept, double Slope, double ResidualStdDev, double SlopeStdError, double RSquared, int N, double MeanX, double Sxx)
{
    public static LinearFit? Of(IReadOnlyList<double> y)
    {
        var n = y.Count;
        if (n < 3)
        {
            return null;
        }

        var meanX = (n - 1) / 2.0;
        var meanY = Stats.Mean(y);
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxx += (i - meanX) * (i - meanX);
            sxy += (i - meanX) * (y[i] - meanY);
            syy += (y[i] - meanY) * (y[i] - meanY);
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        double sse = 0;
        for (var i = 0; i < n; i++)
        {
            var r = y[i] - (intercept + (slope * i));
            sse += r * r;
        }

        var sigma = Math.Sqrt(sse / (n - 2));
        return new LinearFit(intercept, slope, sigma, sigma / Math.Sqrt(sxx), syy > 0 ? 1 - (sse / syy) : 0, n, meanX, sxx);
    }

    public double At(double x) => Intercept + (Slope * x);

    /// <summary>
    /// The sum of the next <paramref name="h"/> values (x = N .. N + h - 1) and its 95% prediction interval:
    /// the variance of the sum of h new observations around the fitted line (h σ²) plus that of the line's estimate
    /// of their sum (σ² (h²/N + (Σx - h x̄)² / Sxx)).
    /// </summary>
    public (double Sum, double Low, double High) ForecastSum(int h)
    {
        double sumX = 0;
        for (var k = 0; k < h; k++)
        {
            sumX += N + k;
        }

        var estimate = (h * Intercept) + (Slope * sumX);
        var variance = ResidualStdDev * ResidualStdDev * (h + ((double)h * h / N) + (Math.Pow(sumX - (h * MeanX), 2) / Sxx));
        var half = Stats.T975(N - 2) * Math.Sqrt(variance);
        return (estimate, estimate - half, estimate + half);
    }
}
