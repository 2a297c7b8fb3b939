namespace PerfOtel.Collector.Probes;

/// <summary>Up when a GET of the URL answers the expected status. Redirects are not followed; the body is not read.</summary>
public sealed class HttpProbe(string name, double weight, Uri url, int expectedStatus, IHttpClientFactory clients)
    : ComponentProbe(name, ProbeKinds.Http, weight)
{
    /// <summary>The named client registered by <see cref="ProbeServiceCollectionExtensions.AddComponentProbes"/>.</summary>
    public const string ClientName = "PerfOtel.Probes";

    public Uri Url { get; } = url;

    protected override async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return status == expectedStatus ? null : $"HTTP {status}, expected {expectedStatus}";
    }
}
