using System.Diagnostics;

namespace PerfOtel.LoadGen;

/// <summary>Times <c>GET /metrics</c> as Prometheus sends it and counts what the exposition holds.</summary>
public static class MetricsScrape
{
    /// <summary>The Accept header of Prometheus 2.x scrapes: OpenMetrics preferred, text 0.0.4 as fallback.</summary>
    public const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    public static async Task<ScrapeResult> RunAsync(HttpClient client, Uri url, int count, string accept, CancellationToken cancellationToken)
    {
        var times = new List<long>(count);
        byte[] last = [];
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            last = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            times.Add(Stopwatch.GetTimestamp() - t0);
            response.EnsureSuccessStatusCode();
        }

        return new ScrapeResult(new Latencies(times), last.Length, Count(last));
    }

    private static ExpositionCount Count(byte[] body)
    {
        int samples = 0, histogramPoints = 0, agentHistogramPoints = 0, overflow = 0;
        foreach (var line in System.Text.Encoding.UTF8.GetString(body).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples++;
            var name = line.AsSpan(0, Math.Max(0, line.IndexOfAny(['{', ' '])));
            if (name.EndsWith("_count", StringComparison.Ordinal) && !name.StartsWith("process_", StringComparison.Ordinal))
            {
                histogramPoints++;
                if (name.StartsWith("gen_ai_", StringComparison.Ordinal) || name.StartsWith("agent_", StringComparison.Ordinal))
                {
                    agentHistogramPoints++;
                }
            }

            if (line.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal))
            {
                overflow++;
            }
        }

        return new ExpositionCount(samples, histogramPoints, agentHistogramPoints, overflow);
    }
}

/// <summary>Scrape timings and the size of the last exposition.</summary>
public sealed record ScrapeResult(Latencies Times, int Bytes, ExpositionCount Count);

/// <summary>
/// Samples (every non-comment line: one Prometheus series each), histogram points (<c>*_count</c> lines), those of
/// the agent instruments, and samples carrying the OTel cardinality-overflow attribute.
/// </summary>
public readonly record struct ExpositionCount(int Samples, int HistogramPoints, int AgentHistogramPoints, int OverflowSamples);
