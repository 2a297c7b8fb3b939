using System.Globalization;
using System.Text.Json;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>Queries of a Prometheus behind TLS and basic auth (through a <see cref="TlsBasicAuth"/> client) for the backup tests.</summary>
public static class PrometheusRawSamples
{
    /// <summary>
    /// Every raw sample of every series with a timestamp in (AT - WINDOW, AT], by series key: the range-vector query
    /// <c>{__name__=~".+"}[WINDOW]</c> at AT returns stored samples as they are, without evaluation steps.
    /// </summary>
    public static async Task<Dictionary<string, RawSeries>> AllAsync(HttpClient http, DateTimeOffset at, TimeSpan window)
    {
        var data = await QueryAsync(http, $"{{__name__=~\".+\"}}[{(int)window.TotalSeconds}s]", at);
        var result = new Dictionary<string, RawSeries>();
        foreach (var s in data.GetProperty("result").EnumerateArray())
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var l in s.GetProperty("metric").EnumerateObject())
            {
                labels[l.Name] = l.Value.GetString()!;
            }

            var series = new RawSeries(labels, []);
            foreach (var v in s.GetProperty("values").EnumerateArray())
            {
                var ms = (long)Math.Round(v[0].GetDouble() * 1000);
                series.Samples[ms] = double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture);
            }

            result.Add(series.Key, series);
        }

        return result;
    }

    /// <summary>The single value of an instant query at AT (now when null), or null when it returns nothing.</summary>
    public static async Task<double?> ScalarAsync(HttpClient http, string promql, DateTimeOffset? at = null)
    {
        var result = (await QueryAsync(http, promql, at)).GetProperty("result");
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls an instant query until its value equals EXPECTED.</summary>
    public static async Task WaitForValueAsync(HttpClient http, string promql, double expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await ScalarAsync(http, promql);
            if (last == expected)
            {
                return;
            }

            await Task.Delay(300);
        }

        throw new TimeoutException($"{promql} was {last?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, expected {expected}");
    }

    private static async Task<JsonElement> QueryAsync(HttpClient http, string promql, DateTimeOffset? at)
    {
        var url = "/api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (at is not null)
        {
            url += "&time=" + (at.Value.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        }

        using var r = await http.GetAsync(url);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"query {promql} answered {(int)r.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").Clone();
    }
}
