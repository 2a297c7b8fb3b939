using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Export;

/// <summary>The formats of <c>export</c>.</summary>
internal enum ExportFormat
{
    Csv,
    Json,
    Parquet,
}

/// <summary>One exported series: its metric name, its labels (without <c>__name__</c>) and its samples.</summary>
internal sealed record ExportedSeries(string Metric, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<Sample> Samples);

/// <summary>
/// Series for people who analyse elsewhere, as a long table: one row per sample with its time, metric, value and
/// one column per label name found in any series (empty where a series does not have it).
/// </summary>
internal static class SeriesExport
{
    public static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.Json => "json",
        _ => "parquet",
    };

    public static IReadOnlyList<string> LabelColumns(IReadOnlyList<ExportedSeries> series) =>
        series.SelectMany(s => s.Labels.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static async Task<byte[]> RenderAsync(ExportFormat format, IReadOnlyList<ExportedSeries> series, ReportRange range, TimeSpan step, CancellationToken cancellationToken) =>
        format switch
        {
            ExportFormat.Csv => Encoding.UTF8.GetBytes(Csv(series)),
            ExportFormat.Json => Json(series, range, step),
            _ => await ParquetAsync(series, cancellationToken),
        };

    /// <summary><c>timestamp,metric,LABEL...,value</c> with RFC 4180 quoting; timestamps in ISO-8601 UTC.</summary>
    internal static string Csv(IReadOnlyList<ExportedSeries> series)
    {
        var labels = LabelColumns(series);
        var csv = new StringBuilder("timestamp,metric");
        foreach (var label in labels)
        {
            csv.Append(',').Append(CsvReport.Field(label));
        }

        csv.Append(",value\r\n");
        foreach (var s in series)
        {
            var prefix = new StringBuilder();
            prefix.Append(',').Append(CsvReport.Field(s.Metric));
            foreach (var label in labels)
            {
                prefix.Append(',').Append(CsvReport.Field(s.Labels.GetValueOrDefault(label, "")));
            }

            var fixedPart = prefix.ToString();
            foreach (var sample in s.Samples)
            {
                csv.Append(ReportTime.Format(sample.Time)).Append(fixedPart).Append(',').Append(Value(sample.Value)).Append("\r\n");
            }
        }

        return csv.ToString();
    }

    /// <summary>
    /// <c>{"schema":"perfotel-export/1","from":..,"to":..,"step_seconds":..,"series":[{"metric":..,"labels":{..},"samples":[[unix_seconds, value], ...]}]}</c>;
    /// NaN and ±Inf are the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
    /// </summary>
    internal static byte[] Json(IReadOnlyList<ExportedSeries> series, ReportRange range, TimeSpan step)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("schema", "perfotel-export/1");
            json.WriteString("from", ReportTime.Format(range.From));
            json.WriteString("to", ReportTime.Format(range.To));
            json.WriteNumber("step_seconds", step.TotalSeconds);
            json.WriteStartArray("series");
            foreach (var s in series)
            {
                json.WriteStartObject();
                json.WriteString("metric", s.Metric);
                json.WriteStartObject("labels");
                foreach (var (k, v) in s.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(k, v);
                }

                json.WriteEndObject();
                json.WriteStartArray("samples");
                foreach (var sample in s.Samples)
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(sample.Time.ToUnixTimeMilliseconds() / 1000m);
                    if (double.IsFinite(sample.Value))
                    {
                        json.WriteNumberValue(sample.Value);
                    }
                    else
                    {
                        json.WriteStringValue(double.IsNaN(sample.Value) ? "NaN" : sample.Value > 0 ? "Infinity" : "-Infinity");
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Columns <c>timestamp</c> (UTC), <c>metric</c>, <c>value</c> (double), then one optional string column per label.</summary>
    internal static async Task<byte[]> ParquetAsync(IReadOnlyList<ExportedSeries> series, CancellationToken cancellationToken)
    {
        var labels = LabelColumns(series);
        var rows = series.Sum(s => s.Samples.Count);
        var timestamps = new DateTime[rows];
        var metrics = new string[rows];
        var values = new double[rows];
        var labelValues = labels.Select(_ => new string?[rows]).ToArray();
        var i = 0;
        foreach (var s in series)
        {
            var perLabel = labels.Select(l => s.Labels.TryGetValue(l, out var v) ? v : null).ToArray();
            foreach (var sample in s.Samples)
            {
                timestamps[i] = sample.Time.UtcDateTime;
                metrics[i] = s.Metric;
                values[i] = sample.Value;
                for (var l = 0; l < labels.Count; l++)
                {
                    labelValues[l][i] = perLabel[l];
                }

                i++;
            }
        }

        var timestampField = new DataField<DateTime>("timestamp");
        var metricField = new DataField<string>("metric");
        var valueField = new DataField<double>("value");
        var labelFields = labels.Select(l => new DataField<string>(l, true)).ToArray();
        var schema = new ParquetSchema([timestampField, metricField, valueField, .. labelFields]);

        using var buffer = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, buffer, cancellationToken: cancellationToken))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(timestampField, new ReadOnlyMemory<DateTime>(timestamps), cancellationToken: cancellationToken);
            await group.WriteAsync(metricField, metrics);
            await group.WriteAsync(valueField, new ReadOnlyMemory<double>(values), cancellationToken: cancellationToken);
            for (var l = 0; l < labels.Count; l++)
            {
                await group.WriteAsync(labelFields[l], labelValues[l]);
            }
        }

        return buffer.ToArray();
    }

    private static string Value(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", CultureInfo.InvariantCulture);
}
