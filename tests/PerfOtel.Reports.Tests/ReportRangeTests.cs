using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests;

public class ReportRangeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_range_is_from_before_to_in_utc()
    {
        var range = ReportRange.Create(Noon.ToOffset(TimeSpan.FromHours(1)), Noon.AddHours(2));
        Assert.Equal(Noon, range.From);
        Assert.Equal(TimeSpan.Zero, range.From.Offset);
        Assert.Equal(TimeSpan.FromHours(2), range.Window);
    }

    [Fact]
    public void From_after_to_is_an_invalid_range()
    {
        var failure = Assert.Throws<ReportFailure>(() => ReportRange.Create(Noon.AddSeconds(1), Noon));
        Assert.Equal(ExitCodes.InvalidRange, failure.ExitCode);
        Assert.Equal("--from 2026-01-31T12:00:01Z is after --to 2026-01-31T12:00:00Z", failure.Message);
    }

    [Fact]
    public void Same_instant_in_different_offsets_is_an_empty_range()
    {
        var failure = Assert.Throws<ReportFailure>(() => ReportRange.Create(Noon, Noon.ToOffset(TimeSpan.FromHours(-5))));
        Assert.Equal(ExitCodes.InvalidRange, failure.ExitCode);
        Assert.Contains("empty range", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3_600_000, "3600s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(604_800_000, "604800s")]
    public void Windows_become_promql_durations(long milliseconds, string expected) =>
        Assert.Equal(expected, PromQl.Duration(TimeSpan.FromMilliseconds(milliseconds)));
}
