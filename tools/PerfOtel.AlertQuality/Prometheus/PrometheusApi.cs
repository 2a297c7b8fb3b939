using System.Globalization;
using System.Text.Json;

namespace PerfOtel.AlertQuality.Prometheus;

/// <summary>One series of a range query: labels (without <c>__name__</c>) and (unix seconds, value) points.</summary>
internal sealed class RangeSeries(SortedDictionary<string, string> labels, string? name)
{
    public SortedDictionary<string, string> Labels { get; } = labels;

    /// <summary>The metric name, when the expression kept it (a plain selector).</summary>
    public string? Name { get; } = name;

    public List<long> Times { get; } = [];

    public List<double> Values { get; } = [];

    public string Key => LabelKey(Labels);

    public static string LabelKey(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));
}

/// <summary>The Prometheus HTTP API: range queries, split so that no query exceeds Prometheus' 11,000 points.</summary>
internal sealed class PrometheusApi(HttpClient http, Uri baseUrl)
{
    private const int MaxPointsPerQuery = 10_000;

    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>Evaluates <paramref name="expr"/> at start, start + step, ..., end (inclusive).</summary>
    public async Task<IReadOnlyList<RangeSeries>> QueryRangeAsync(string expr, long start, long end, int step, CancellationToken cancellationToken)
    {
        var series = new Dictionary<string, RangeSeries>(StringComparer.Ordinal);
        for (var from = start; from <= end; from += (long)MaxPointsPerQuery * step)
        {
            var to = Math.Min(end, from + ((long)(MaxPointsPerQuery - 1) * step));
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["query"] = expr,
                ["start"] = from.ToString(CultureInfo.InvariantCulture),
                ["end"] = to.ToString(CultureInfo.InvariantCulture),
                ["step"] = step.ToString(CultureInfo.InvariantCulture),
            });
            using var response = await http.PostAsync(new Uri(BaseUrl, "/api/v1/query_range"), form, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = json.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : "(no error text)";
                throw new InvalidOperationException($"Prometheus refused the query ({(int)response.StatusCode}): {error}\n{expr}");
            }

            foreach (var item in root.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
                string? name = null;
                foreach (var label in item.GetProperty("metric").EnumerateObject())
                {
                    if (label.Name == "__name__")
                    {
                        name = label.Value.GetString();
                    }
                    else
                    {
                        labels[label.Name] = label.Value.GetString() ?? "";
                    }
                }

                var key = (name ?? "") + "{" + RangeSeries.LabelKey(labels) + "}";
                if (!series.TryGetValue(key, out var s))
                {
                    s = new RangeSeries(labels, name);
                    series[key] = s;
                }

                foreach (var point in item.GetProperty("values").EnumerateArray())
                {
                    s.Times.Add((long)Math.Round(point[0].GetDouble()));
                    s.Values.Add(ParseValue(point[1].GetString()));
                }
            }
        }

        return [.. series.Values];
    }

    private static double ParseValue(string? text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text ?? "NaN", NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
