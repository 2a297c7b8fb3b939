using PerfOtel.Reports.Data;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Analysis;

/// <summary>
/// Next-period totals from a linear trend: an ordinary least-squares line through the per-bucket values of the
/// previous and current period (from the first bucket with data), summed over the next period's buckets, with a 95%
/// prediction interval (<see cref="LinearFit.ForecastSum"/>). The backtest applies the same method to the data
/// before the current period and compares its forecast with what the current period actually had (or, with too
/// little earlier data, holds out the last quarter).
/// </summary>
internal static class Forecaster
{
    public const int MinBuckets = 6;

    public static List<Forecast> NextPeriod(BucketSeries buckets, ReportRange range)
    {
        var next = new Period(range.To, range.To + range.Window);
        var list = new List<Forecast>();
        Add(list, "cost_usd", "LLM cost", "usd", buckets.Cost(), buckets, next);
        Add(list, "runs", "Agent runs", "count", buckets.Runs(), buckets, next);
        Add(list, "tokens", "Tokens (input + output)", "tokens", buckets.Tokens(), buckets, next);
        return list;
    }

    /// <summary>The forecast of the sum of the next <paramref name="horizon"/> values, or null with too little data.</summary>
    internal static (double Value, double Low, double High)? SumOfNext(IReadOnlyList<double> values, int horizon)
    {
        var fit = LinearFit.Of(values);
        if (fit is null || values.Count < MinBuckets || horizon <= 0)
        {
            return null;
        }

        var (sum, low, high) = fit.ForecastSum(horizon);
        // Totals of counters are never negative.
        return (Math.Max(0, sum), Math.Max(0, low), Math.Max(0, high));
    }

    private static void Add(List<Forecast> list, string key, string name, string unit, double[] values, BucketSeries buckets, Period next)
    {
        var first = Array.FindIndex(values, v => v != 0);
        if (first < 0)
        {
            return;
        }

        var history = values[first..];
        var horizon = buckets.Count - buckets.CurrentStart;
        if (SumOfNext(history, horizon) is not { } forecast)
        {
            return;
        }

        list.Add(new Forecast(key, name, unit, next, forecast.Value, forecast.Low, forecast.High, "linear_trend", Backtest(values, first, buckets)));
    }

    private static Backtest? Backtest(double[] values, int first, BucketSeries buckets)
    {
        // Hold out the current period when enough came before it; else the last quarter of the data.
        var holdFrom = buckets.CurrentStart - first >= MinBuckets ? buckets.CurrentStart : first + ((values.Length - first) * 3 / 4);
        var horizon = values.Length - holdFrom;
        if (holdFrom - first < MinBuckets || horizon <= 0)
        {
            return null;
        }

        if (SumOfNext(values[first..holdFrom], horizon) is not { } predicted)
        {
            return null;
        }

        var actual = values[holdFrom..].Sum();
        return new Backtest(
            new Period(buckets.Ends[holdFrom] - buckets.Step, buckets.Ends[^1]),
            predicted.Value,
            predicted.Low,
            predicted.High,
            actual,
            actual != 0 ? Math.Abs(predicted.Value - actual) / Math.Abs(actual) : null,
            actual >= predicted.Low && actual <= predicted.High);
    }
}
