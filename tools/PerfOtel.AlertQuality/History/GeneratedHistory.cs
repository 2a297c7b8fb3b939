using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PerfOtel.AlertQuality.History;

/// <summary>A generated history: its series (to write as backfill input) and its labels (the incidents).</summary>
internal sealed class GeneratedHistory(
    Fleet fleet,
    HistoryOptions options,
    HistoryClock clock,
    IReadOnlyList<Incident> incidents,
    IReadOnlyList<string> unplaced,
    IReadOnlyList<MetricFamily> families,
    FleetEconomics economics)
{
    public Fleet Fleet { get; } = fleet;

    public HistoryOptions Options { get; } = options;

    public HistoryClock Clock { get; } = clock;

    public IReadOnlyList<Incident> Incidents { get; } = incidents;

    /// <summary>Kinds of incidents the planner found no room for (history too short or too crowded).</summary>
    public IReadOnlyList<string> Unplaced { get; } = unplaced;

    public FleetEconomics Economics { get; } = economics;

    public long ScoreFrom => Options.ScoreFrom;

    public int SeriesCount => families.Sum(f => f.Series.Sum(s => s.SeriesCount));

    /// <summary>Writes one OpenMetrics file per group of families (converted in parallel); returns paths and samples.</summary>
    public IReadOnlyList<(string Path, long Samples)> Write(string folder)
    {
        var written = new List<(string, long)>();
        foreach (var group in families.GroupBy(f => f.File))
        {
            var path = Path.Combine(folder, group.Key);
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            using var writer = new OpenMetricsWriter(stream, Clock.TimeAt, Clock.Steps);
            foreach (var family in group)
            {
                writer.Family(family);
            }

            writer.End();
            written.Add((path, writer.Samples));
        }

        return written;
    }

    /// <summary>The incidents as JSON: what the history's labels say, for anyone scoring other rules on it.</summary>
    public string IncidentsJson()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("seed", Options.Seed);
            json.WriteString("start", Iso(Clock.Start));
            json.WriteString("end", Iso(Clock.End));
            json.WriteString("scored_from", Iso(ScoreFrom));
            json.WriteNumber("step_seconds", Clock.StepSeconds);
            json.WriteStartArray("incidents");
            foreach (var i in Incidents)
            {
                json.WriteStartObject();
                json.WriteNumber("id", i.Id);
                json.WriteString("kind", i.Kind.Name);
                json.WriteString("entity", i.Entity);
                json.WriteString("start", Iso(i.Start));
                json.WriteString("end", Iso(i.End));
                if (i.Lead > 0)
                {
                    json.WriteNumber("lead_seconds", i.Lead);
                }

                json.WriteString("detail", i.Detail);
                json.WriteStartObject("labels");
                foreach (var (k, v) in i.Labels.OrderBy(x => x.Key, StringComparer.Ordinal))
                {
                    json.WriteString(k, v);
                }

                json.WriteEndObject();
                WriteArray(json, "expected_alerts", i.Kind.Expected);
                WriteArray(json, "acceptable_alerts", i.Kind.Acceptable.Select(a => a.Alert));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    public static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
