using Parquet;
using PerfOtel.Reports.Export;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests;

public class ExportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    private static readonly ExportedSeries[] Series =
    [
        new("up", new Dictionary<string, string> { ["job"] = "a,b", ["instance"] = "=cmd()" }, [new(T0, 1), new(T0.AddMinutes(1), double.NaN)]),
        new("up", new Dictionary<string, string> { ["job"] = "c" }, [new(T0, 0)]),
    ];

    [Theory]
    [InlineData("gen_ai_agent_name=planner", "gen_ai_agent_name=\"planner\"")]
    [InlineData("gen_ai_agent_name=\"planner\"", "gen_ai_agent_name=\"planner\"")]
    [InlineData("agent_run_outcome!=success", "agent_run_outcome!=\"success\"")]
    [InlineData("gen_ai_request_model=~gpt-4o.*", "gen_ai_request_model=~\"gpt-4o.*\"")]
    [InlineData("x!~a\"}) or vector(1", "x!~\"a\\\"}) or vector(1\"")]
    public void Label_filters_become_quoted_matchers(string text, string promQl)
    {
        Assert.True(LabelMatcher.TryParse(text, out var matcher));
        Assert.Equal(promQl, matcher!.ToPromQl());
    }

    [Theory]
    [InlineData("job")]
    [InlineData("1job=x")]
    [InlineData("=x")]
    public void Malformed_label_filters_are_refused(string text) => Assert.False(LabelMatcher.TryParse(text, out _));

    [Fact]
    public void Csv_has_one_column_per_label_quotes_commas_and_defuses_formulas()
    {
        Assert.Equal(
            "timestamp,metric,instance,job,value\r\n" +
            "2026-01-31T12:00:00Z,up,'=cmd(),\"a,b\",1\r\n" +
            "2026-01-31T12:01:00Z,up,'=cmd(),\"a,b\",NaN\r\n" +
            "2026-01-31T12:00:00Z,up,,c,0\r\n",
            SeriesExport.Csv(Series));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvReport.Field("say \"hi\""));
    }

    [Fact]
    public async Task Parquet_round_trips_with_missing_labels_as_nulls()
    {
        var bytes = await SeriesExport.ParquetAsync(Series, TestContext.Current.CancellationToken);

        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["timestamp", "metric", "value", "instance", "job"], reader.Schema.DataFields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(3, group.RowCount);
        var instance = new string?[3];
        await group.ReadAsync(reader.Schema.DataFields[3], instance.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["=cmd()", "=cmd()", null], instance);
        var values = new double[3];
        await group.ReadAsync(reader.Schema.DataFields[2], values.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, values[0]);
        Assert.True(double.IsNaN(values[1]));
    }

    [Fact]
    public void Json_keeps_labels_and_samples_and_names_non_finite_values()
    {
        var json = System.Text.Encoding.UTF8.GetString(SeriesExport.Json(Series, ReportRange.Create(T0, T0.AddHours(1)), TimeSpan.FromMinutes(1)));

        Assert.StartsWith("{\"schema\":\"perfotel-export/1\",\"from\":\"2026-01-31T12:00:00Z\",\"to\":\"2026-01-31T13:00:00Z\",\"step_seconds\":60,\"series\":[{\"metric\":\"up\",\"labels\":{\"instance\":\"=cmd()\",\"job\":\"a,b\"},\"samples\":[[1769860800,1],[1769860860,\"NaN\"]]}", json, StringComparison.Ordinal);
    }
}
