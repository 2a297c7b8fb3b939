using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PerfOtel.Reports.Prometheus;

/// <summary>
/// Instant queries against the Prometheus HTTP API (<c>POST /api/v1/query</c> with <c>query</c> and an
/// evaluation <c>time</c>). Failures surface as <see cref="PrometheusUnreachableException"/> or
/// <see cref="PrometheusErrorException"/> with a one-line message naming the server.
/// </summary>
internal sealed class PrometheusClient
{
    private readonly HttpClient http;
    private readonly Uri queryEndpoint;
    private readonly AuthenticationHeaderValue? authorization;

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
    }

    /// <summary>The base URL without user info, for messages and reports.</summary>
    public string DisplayUrl { get; }

    /// <summary>Evaluates <paramref name="promQl"/> at <paramref name="time"/>; the result must be an instant vector.</summary>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryAsync(string promQl, DateTimeOffset time, CancellationToken cancellationToken)
    {
        // POST keeps long expressions out of the URL (and out of proxy logs); the API takes both.
        using var form = new FormUrlEncodedContent(
        [
            new("query", promQl),
            new("time", (time.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture)),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, queryEndpoint) { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = authorization;

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ReadAsync(response, cancellationToken);
            return ToSeries(response, body);
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

    private List<PrometheusSeries> ToSeries(HttpResponseMessage response, PrometheusResponse? body)
    {
        if (body?.Status == "error" || !response.IsSuccessStatusCode)
        {
            var detail = body?.Error is null ? "" : $": {body.ErrorType}: {body.Error}";
            throw new PrometheusErrorException(
                $"Prometheus at {DisplayUrl} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}{detail}");
        }

        if (body?.Status != "success" || body.Data?.ResultType != "vector" || body.Data.Result is null)
        {
            throw new PrometheusErrorException(
                $"Prometheus at {DisplayUrl} answered without an instant vector (status '{body?.Status}', result type '{body?.Data?.ResultType}')");
        }

        var series = new List<PrometheusSeries>(body.Data.Result.Count);
        foreach (var element in body.Data.Result)
        {
            if (element.Value is null)
            {
                throw new PrometheusErrorException($"Prometheus at {DisplayUrl} answered a series without a value");
            }

            series.Add(new PrometheusSeries(element.Metric ?? new Dictionary<string, string>(), element.Value.Value));
        }

        return series;
    }
}
