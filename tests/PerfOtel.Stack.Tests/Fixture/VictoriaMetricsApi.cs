using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>Raw samples of one series: label set and timestamp (ms) → value.</summary>
public sealed record RawSeries(SortedDictionary<string, string> Labels, SortedDictionary<long, double> Samples)
{
    /// <summary>The label set as one comparable string: {a="1",b="2"} with the labels sorted.</summary>
    public string Key => "{" + string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

/// <summary>The few VictoriaMetrics endpoints the backup tests use: JSON-line import and export, flush, instant query.</summary>
public sealed class VictoriaMetricsApi(HttpClient http)
{
    /// <summary>Imports the series in VictoriaMetrics' JSON line format (/api/v1/import), the format export writes.</summary>
    public async Task ImportAsync(IEnumerable<RawSeries> series)
    {
        var body = new StringBuilder();
        foreach (var s in series)
        {
            var line = new Dictionary<string, object>
            {
                ["metric"] = s.Labels,
                ["values"] = s.Samples.Values.ToArray(),
                ["timestamps"] = s.Samples.Keys.ToArray(),
            };
            body.Append(JsonSerializer.Serialize(line)).Append('\n');
        }

        using var r = await http.PostAsync("/api/v1/import", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
        Assert.True(r.IsSuccessStatusCode, $"import answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        // Makes the imported samples searchable now instead of within a second or two.
        using var flush = await http.GetAsync("/internal/force_flush");
        Assert.True(flush.IsSuccessStatusCode, $"force_flush answered {(int)flush.StatusCode}");
    }

    /// <summary>Every raw sample of the series matching SELECTOR, by series key (lines of one series are merged).</summary>
    public async Task<Dictionary<string, RawSeries>> ExportAsync(string selector)
    {
        using var r = await http.GetAsync("/api/v1/export?match[]=" + Uri.EscapeDataString(selector));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"export answered {(int)r.StatusCode}: {body}");
        var result = new Dictionary<string, RawSeries>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var l in doc.RootElement.GetProperty("metric").EnumerateObject())
            {
                labels[l.Name] = l.Value.GetString()!;
            }

            var parsed = new RawSeries(labels, []);
            var series = result.TryGetValue(parsed.Key, out var known) ? known : result[parsed.Key] = parsed;
            var values = doc.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var timestamps = doc.RootElement.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                Assert.True(series.Samples.TryAdd(timestamps[i], values[i]), $"{parsed.Key} exported twice at {timestamps[i]}");
            }
        }

        return result;
    }

    /// <summary>Polls the export until it holds exactly SAMPLES samples (ingestion is asynchronous).</summary>
    public async Task<Dictionary<string, RawSeries>> WaitForSampleCountAsync(string selector, int samples, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var exported = await ExportAsync(selector);
            var count = exported.Values.Sum(s => s.Samples.Count);
            if (count == samples)
            {
                return exported;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{selector}: {count} samples exported, expected {samples}");
            }

            await Task.Delay(300);
        }
    }

    /// <summary>The single value of an instant PromQL (MetricsQL) query at TIME, or null when it returns nothing.</summary>
    public async Task<double?> ScalarAsync(string query, DateTimeOffset time)
    {
        var url = $"/api/v1/query?query={Uri.EscapeDataString(query)}&time={time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        using var r = await http.GetAsync(url);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"query {query} answered {(int)r.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }
}
