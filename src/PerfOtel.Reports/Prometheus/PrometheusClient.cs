using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PerfOtel.Reports.Prometheus;

/// <summary>
/// Queries against the Prometheus HTTP API: instant queries (<c>POST /api/v1/query</c> with an evaluation
/// <c>time</c>) and range queries (<c>POST /api/v1/query_range</c>). Failures surface as
/// <see cref="PrometheusUnreachableException"/> or <see cref="PrometheusErrorException"/> with a one-line message
/// naming the server. Every query is counted (<see cref="QueryCount"/>): reports state how many they needed.
/// </summary>
internal sealed class PrometheusClient
{
    private readonly HttpClient http;
    private readonly Uri queryEndpoint;
    private readonly Uri rangeEndpoint;
    private readonly AuthenticationHeaderValue? authorization;
    private int queryCount;

    public PrometheusClient(HttpClient http, Uri baseUrl)
    {
        this.http = http;
        // Credentials in the URL (http://user:password@host, for a Prometheus behind a basic-auth proxy) are sent
        // as an Authorization header and never end up in the request line, logs or reports.
        DisplayUrl = baseUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
        if (baseUrl.UserInfo.Length > 0)
        {
            var credentials = Uri.UnescapeDataString(baseUrl.UserInfo);
            authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        // Keep a path prefix (Prometheus behind a proxy at /prometheus/): resolve relative to "<base>/".
        queryEndpoint = new Uri(new Uri(DisplayUrl + "/"), "api/v1/query");
        rangeEndpoint = new Uri(new Uri(DisplayUrl + "/"), "api/v1/query_range");
    }

    /// <summary>The base URL without user info, for messages and reports.</summary>
    public string DisplayUrl { get; }

    /// <summary>How many queries this client has sent (answered or not).</summary>
    public int QueryCount => Volatile.Read(ref queryCount);

    /// <summary>Evaluates <paramref name="promQl"/> at <paramref name="time"/>; the result must be an instant vector.</summary>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryAsync(string promQl, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var data = await SendAsync(queryEndpoint, [new("query", promQl), new("time", Seconds(time))], "vector", cancellationToken);
        var series = new List<PrometheusSeries>(data.Count);
        foreach (var element in data)
        {
            if (element.Value is null)
            {
                throw new PrometheusErrorException($"Prometheus at {DisplayUrl} answered a series without a value");
            }

            series.Add(new PrometheusSeries(element.Metric ?? new Dictionary<string, string>(), element.Value.Value));
        }

        return series;
    }

    /// <summary>
    /// Evaluates a range selector (<c>metric[7d]</c>) at <paramref name="time"/>: every raw sample of every
    /// series in the window, exactly as stored.
    /// </summary>
    public async Task<IReadOnlyList<PrometheusRangeSeries>> QueryRawAsync(string promQl, DateTimeOffset time, CancellationToken cancellationToken) =>
        ToMatrix(await SendAsync(queryEndpoint, [new("query", promQl), new("time", Seconds(time))], "matrix", cancellationToken));

    /// <summary>Evaluates <paramref name="promQl"/> at <paramref name="start"/>, start + step, ... up to <paramref name="end"/>.</summary>
    public async Task<IReadOnlyList<PrometheusRangeSeries>> QueryRangeAsync(
        string promQl, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken) =>
        ToMatrix(await SendAsync(
            rangeEndpoint,
            [
                new("query", promQl),
                new("start", Seconds(start)),
                new("end", Seconds(end)),
                new("step", (((long)step.TotalMilliseconds) / 1000m).ToString(CultureInfo.InvariantCulture)),
            ],
            "matrix",
            cancellationToken));

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);

    private List<PrometheusRangeSeries> ToMatrix(IReadOnlyList<PrometheusResultElement> data)
    {
        var series = new List<PrometheusRangeSeries>(data.Count);
        foreach (var element in data)
        {
            if (element.Values is null)
            {
                throw new PrometheusErrorException($"Prometheus at {DisplayUrl} answered a matrix series without values");
            }

            var samples = new Sample[element.Values.Count];
            for (var i = 0; i < samples.Length; i++)
            {
                var v = element.Values[i];
                samples[i] = new Sample(DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(v.UnixSeconds * 1000)), v.Value);
            }

            series.Add(new PrometheusRangeSeries(element.Metric ?? new Dictionary<string, string>(), samples));
        }

        return series;
    }

    private async Task<IReadOnlyList<PrometheusResultElement>> SendAsync(
        Uri endpoint, KeyValuePair<string, string>[] parameters, string resultType, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queryCount);

        // POST keeps long expressions out of the URL (and out of proxy logs); the API takes both.
        using var form = new FormUrlEncodedContent(parameters);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = authorization;

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ReadAsync(response, cancellationToken);
            return Result(response, body, resultType);
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusUnreachableException($"cannot reach Prometheus at {DisplayUrl}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new PrometheusUnreachableException($"connection to Prometheus at {DisplayUrl} failed: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusUnreachableException($"Prometheus at {DisplayUrl} did not answer within {http.Timeout.TotalSeconds:0.#} s", e);
        }
    }

    private static async Task<PrometheusResponse?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, PrometheusJsonContext.Default.PrometheusResponse, cancellationToken);
        }
        catch (JsonException) when (!response.IsSuccessStatusCode)
        {
            return null; // e.g. a proxy's HTML error page: the status line says enough
        }
        catch (JsonException e)
        {
            throw new PrometheusErrorException($"unreadable answer from {response.RequestMessage?.RequestUri}: {e.Message}", e);
        }
    }

    private IReadOnlyList<PrometheusResultElement> Result(HttpResponseMessage response, PrometheusResponse? body, string resultType)
    {
        if (body?.Status == "error" || !response.IsSuccessStatusCode)
        {
            var detail = body?.Error is null ? "" : $": {body.ErrorType}: {body.Error}";
            throw new PrometheusErrorException(
                $"Prometheus at {DisplayUrl} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}{detail}");
        }

        if (body?.Status != "success" || body.Data?.ResultType != resultType || body.Data.Result is null)
        {
            var expected = resultType == "vector" ? "an instant vector" : "a matrix";
            throw new PrometheusErrorException(
                $"Prometheus at {DisplayUrl} answered without {expected} (status '{body?.Status}', result type '{body?.Data?.ResultType}')");
        }

        return body.Data.Result;
    }
}
