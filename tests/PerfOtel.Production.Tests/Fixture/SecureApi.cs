using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace PerfOtel.Production.Tests.Fixture;

/// <summary>
/// HTTPS to the production stack's servers: trusts the private CA made by make-secrets.sh (and only it), with
/// optional HTTP Basic credentials. Queries the Prometheus HTTP API of Prometheus and VictoriaMetrics alike.
/// </summary>
public sealed class SecureApi : IDisposable
{
    private readonly HttpClient http;
    private readonly AuthenticationHeaderValue? auth;

    public SecureApi(string baseUrl, string caFile, string? user = null, string? password = null)
    {
        BaseUrl = baseUrl;
        http = new HttpClient(TrustingHandler(caFile)) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(20) };
        if (user is not null)
        {
            auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    public string BaseUrl { get; }

    public static SocketsHttpHandler TrustingHandler(string caFile) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                CustomTrustStore = { X509CertificateLoader.LoadCertificateFromFile(caFile) },
            },
        },
    };

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = auth;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {BaseUrl}{path} answered {(int)status}: {body}");
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>An instant query's result array (Prometheus or VictoriaMetrics).</summary>
    public async Task<JsonElement[]> QueryAsync(string promql, DateTimeOffset? at = null)
    {
        var path = "/api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (at is not null)
        {
            path += "&time=" + (at.Value.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
        }

        var root = await GetJsonAsync(path);
        return [.. root.GetProperty("data").GetProperty("result").EnumerateArray()];
    }

    /// <summary>A range query's series, each as (unix seconds, value) pairs.</summary>
    public async Task<List<(double T, double V)>[]> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        var path = "/api/v1/query_range?query=" + Uri.EscapeDataString(promql)
            + "&start=" + start.ToUnixTimeSeconds() + "&end=" + end.ToUnixTimeSeconds()
            + "&step=" + ((int)step.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var root = await GetJsonAsync(path);
        return [.. root.GetProperty("data").GetProperty("result").EnumerateArray().Select(s => s.GetProperty("values").EnumerateArray()
            .Select(v => (v[0].GetDouble(), double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture))).ToList())];
    }

    /// <summary>The single value of a query, or null when it returns no series.</summary>
    public async Task<double?> ScalarAsync(string promql, DateTimeOffset? at = null)
    {
        var v = await QueryAsync(promql, at);
        return v.Length == 0 ? null : double.Parse(v[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    public void Dispose() => http.Dispose();
}
