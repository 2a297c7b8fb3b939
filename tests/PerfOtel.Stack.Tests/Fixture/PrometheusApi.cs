using System.Globalization;
using System.Text.Json;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>A thin client of the Prometheus HTTP API for assertions.</summary>
public sealed class PrometheusApi(string baseUrl) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Runs an instant query; throws with Prometheus' error text when it fails.</summary>
    public async Task<JsonElement> QueryAsync(string promql, DateTimeOffset? at = null)
    {
        var url = "/api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (at is not null)
        {
            url += "&time=" + at.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        using var r = await http.GetAsync(url);
        var body = await r.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query failed: {promql}\n{body}");
        }

        return doc.RootElement.GetProperty("data").Clone();
    }

    /// <summary>The result vector of an instant query.</summary>
    public async Task<JsonElement[]> VectorAsync(string promql) =>
        [.. (await QueryAsync(promql)).GetProperty("result").EnumerateArray()];

    /// <summary>The single value of a query returning one series, or null when it returns none.</summary>
    public async Task<double?> ScalarAsync(string promql)
    {
        var v = await VectorAsync(promql);
        return v.Length == 0 ? null : double.Parse(v[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a query until its single value equals the expected one.</summary>
    public async Task<double> WaitForValueAsync(string promql, double expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await ScalarAsync(promql);
            if (last is not null && Math.Abs(last.Value - expected) < 1e-9)
            {
                return last.Value;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{promql} was {last?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, expected {expected}");
    }

    /// <summary>Every metric name Prometheus currently has.</summary>
    public async Task<HashSet<string>> MetricNamesAsync()
    {
        using var r = await http.GetAsync("/api/v1/label/__name__/values");
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!)];
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var r = await http.GetAsync(path);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public void Dispose() => http.Dispose();
}
