using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests;

public class ReportTimeTests
{
    [Theory]
    [InlineData("2026-01-31T13:00:00Z", "2026-01-31T13:00:00.000Z")]
    [InlineData("2026-01-31T13:00:00.250Z", "2026-01-31T13:00:00.250Z")]
    [InlineData("2026-01-31T14:00:00+01:00", "2026-01-31T13:00:00.000Z")]
    [InlineData("2026-01-31T08:30-04:30", "2026-01-31T13:00:00.000Z")]
    [InlineData("2026-01-31T13:00:00", "2026-01-31T13:00:00.000Z")]
    [InlineData("2026-01-31T13:00", "2026-01-31T13:00:00.000Z")]
    [InlineData("2026-01-31", "2026-01-31T00:00:00.000Z")]
    [InlineData(" 2026-01-31T13:00:00Z ", "2026-01-31T13:00:00.000Z")]
    [InlineData("1769864400", "2026-01-31T13:00:00.000Z")]
    [InlineData("1769864400.5", "2026-01-31T13:00:00.500Z")]
    [InlineData("1769864400.123456", "2026-01-31T13:00:00.123Z")]
    [InlineData("0", "1970-01-01T00:00:00.000Z")]
    public void Parses_iso_8601_and_unix_seconds_as_utc(string text, string expectedUtc)
    {
        Assert.True(ReportTime.TryParse(text, out var time));
        Assert.Equal(TimeSpan.Zero, time.Offset);
        Assert.Equal(expectedUtc, time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("now-1h")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("31/01/2026")]
    [InlineData("01/31/2026 13:00")]
    [InlineData("2026-01-31 13:00:00")]
    [InlineData("13:00")]
    [InlineData("-5")]
    [InlineData("1.2.3")]
    [InlineData("99999999999999")]
    [InlineData("1769864400000000000000")]
    public void Rejects_anything_else(string text) => Assert.False(ReportTime.TryParse(text, out _));

    [Fact]
    public void File_stamps_are_basic_iso_utc_and_sort_as_text()
    {
        var earlier = new DateTimeOffset(2026, 1, 31, 9, 5, 7, TimeSpan.Zero);
        var later = new DateTimeOffset(2026, 1, 31, 10, 0, 0, TimeSpan.FromHours(2)); // 08:00Z, before "earlier"
        Assert.Equal("20260131T090507Z", ReportTime.FileStamp(earlier));
        Assert.Equal("20260131T080000Z", ReportTime.FileStamp(later));
    }

    [Theory]
    [InlineData(3600, "1h")]
    [InlineData(5400, "1h 30m")]
    [InlineData(90061, "1d 1h 1m 1s")]
    [InlineData(0.5, "0.5s")]
    [InlineData(604800, "7d")]
    public void Spans_read_as_components(double seconds, string expected) =>
        Assert.Equal(expected, ReportTime.FormatSpan(TimeSpan.FromSeconds(seconds)));
}
