using System.Text.Json;
using System.Text.Json.Serialization;
using PerfOtel.Reports.Analysis;

namespace PerfOtel.Reports.Rendering;

/// <summary>
/// The report as JSON: <c>{"schema": "perfotel-report/1", "report": {...}}</c>, the <see cref="ReportModel"/> in
/// snake_case, durations in seconds, times in ISO-8601. The schema is documented in docs/REPORTS.md; fields are
/// only ever added within a schema version.
/// </summary>
internal sealed class JsonReport : IReportRenderer
{
    public const string Schema = "perfotel-report/1";

    public string FileExtension => "json";

    public string Render(ReportModel model) =>
        JsonSerializer.Serialize(new JsonReportDocument(Schema, model), ReportJsonContext.Default.JsonReportDocument) + "\n";
}

internal sealed record JsonReportDocument(string Schema, ReportModel Report);

/// <summary>Durations as seconds (a number), not .NET's <c>hh:mm:ss</c>.</summary>
internal sealed class SecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromSeconds(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.TotalSeconds, 3));
}

/// <summary>Times as the rest of the report writes them: ISO-8601 in UTC with a Z (<c>2026-01-31T13:00:00Z</c>).</summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Time.ReportTime.Format(value));
}

/// <summary>Source-generated JSON of the report and the HTML charts' data.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true,
    Converters = [typeof(SecondsConverter), typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(JsonReportDocument))]
[JsonSerializable(typeof(ChartPage))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(Delivery.SlackMessage))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
