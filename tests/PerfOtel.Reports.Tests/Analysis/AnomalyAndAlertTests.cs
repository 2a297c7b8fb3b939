using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Prometheus;

namespace PerfOtel.Reports.Tests.Analysis;

public class AnomalyAndAlertTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 31, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Tukey_far_fences_are_three_iqrs_beyond_the_quartiles()
    {
        var (median, low, high) = AnomalyDetector.Fences([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Equal((5, 3 - 12, 7 + 12), (median, low, high));
    }

    [Fact]
    public void Leave_one_out_z_compares_a_value_with_the_others()
    {
        double?[] values = [1, 2, 3, 2, 1, 2, 3, 2, 20];
        Assert.True(AnomalyDetector.LeaveOneOutZ(values, 8) > 10);
        Assert.Equal(Stats.MaxZ, AnomalyDetector.LeaveOneOutZ([1, 1, 1, 5], 3));
        Assert.Equal(0, AnomalyDetector.LeaveOneOutZ([1, 1, 1, 1], 3));
    }

    [Fact]
    public void A_gap_of_several_evaluations_splits_alert_episodes_and_the_last_may_still_fire()
    {
        var samples = new List<Sample>();
        foreach (var minute in Enumerable.Range(0, 10).Concat(Enumerable.Range(20, 5)).Concat(Enumerable.Range(50, 11)))
        {
            samples.Add(new Sample(T0.AddMinutes(minute), 1));
        }

        var series = new PrometheusRangeSeries(
            new Dictionary<string, string> { ["__name__"] = "ALERTS", ["alertname"] = "X", ["alertstate"] = "firing", ["severity"] = "warning", ["job"] = "j" }, samples);

        var episodes = AlertEpisodes.From([series], T0.AddMinutes(60));

        Assert.Equal(3, episodes.Count);
        Assert.Equal((T0, T0.AddMinutes(10), true), (episodes[0].Start, episodes[0].End, episodes[0].Resolved));
        Assert.Equal(TimeSpan.FromMinutes(5), episodes[1].Duration);
        Assert.False(episodes[2].Resolved); // its last sample is at the end of the data
        Assert.Equal(new Dictionary<string, string> { ["alertname"] = "X", ["severity"] = "warning", ["job"] = "j" }, episodes[0].Labels);
    }
}
