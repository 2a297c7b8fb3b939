using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PerfOtel.Reports.Prometheus;

/// <summary>
/// Where the Prometheus HTTP API is (Prometheus itself or a long-term store speaking its API, like VictoriaMetrics)
/// and how to reach it: the URL (credentials, when given, ride in its user info and are sent as HTTP Basic, see
/// <see cref="PrometheusClient"/>) and an optional private CA that signs the server's certificate.
/// </summary>
internal sealed record PrometheusEndpoint(Uri Url, string? CaFile = null)
{
    /// <summary>An HTTP client that trusts <see cref="CaFile"/> (and only it) when one is given, the system's roots otherwise.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout)
    {
        if (CaFile is null)
        {
            return new HttpClient { Timeout = timeout };
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The host name is still checked against the certificate; only the root of trust changes.
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    CustomTrustStore = { X509CertificateLoader.LoadCertificateFromFile(CaFile) },
                },
            },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
