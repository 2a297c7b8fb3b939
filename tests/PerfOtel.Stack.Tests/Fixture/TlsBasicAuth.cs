using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// TLS and basic auth as the production profile puts them in front of Prometheus and VictoriaMetrics, generated per
/// test: a self-signed certificate for 127.0.0.1 (its own CA), a random password in a file, and an HTTP client that
/// trusts only that certificate and sends the credentials.
/// </summary>
public sealed class TlsBasicAuth
{
    public const string User = "backup";

    private readonly byte[] certificateDer;

    private TlsBasicAuth(string dir, byte[] certificateDer, string password)
    {
        this.certificateDer = certificateDer;
        Password = password;
        CertFile = Path.Combine(dir, "tls.crt");
        KeyFile = Path.Combine(dir, "tls.key");
        PasswordFile = Path.Combine(dir, "password");
    }

    public string CertFile { get; }

    public string KeyFile { get; }

    public string PasswordFile { get; }

    public string Password { get; }

    /// <summary>The options every shipped backup script takes for TLS and basic auth.</summary>
    public string[] ScriptArgs => ["--user", User, "--password-file", PasswordFile, "--cacert", CertFile];

    public static TlsBasicAuth Create(string dir)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        // CA:TRUE so that curl --cacert accepts the self-signed certificate as its own trust anchor.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Quotes and a backslash test the scripts' escaping of the password into curl's config file.
        var tls = new TlsBasicAuth(dir, cert.RawData, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) + "\"q\\");
        File.WriteAllText(tls.CertFile, cert.ExportCertificatePem());
        File.WriteAllText(tls.KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(tls.PasswordFile, tls.Password + "\n");
        return tls;
    }

    /// <summary>A client for BASEURL that trusts only the generated certificate and authenticates as <see cref="User"/>.</summary>
    public HttpClient Client(string baseUrl)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(certificateDer);
        var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)));
        return http;
    }

    /// <summary>Prometheus' --web.config.file: TLS and the user with a bcrypt hash (htpasswd -B) of the password.</summary>
    public async Task<string> WritePrometheusWebConfigAsync(string dir)
    {
        var htpasswd = await ToolRun.RunAsync("bash", ["-c", "htpasswd -niB \"$0\" < \"$1\"", User, PasswordFile]);
        Assert.True(htpasswd.ExitCode == 0, "htpasswd failed: " + htpasswd.Output);
        var hash = htpasswd.StdOut.Trim().Split(':', 2)[1];
        var file = Path.Combine(dir, "web.yml");
        File.WriteAllText(file, $"""
            tls_server_config:
              cert_file: {CertFile}
              key_file: {KeyFile}
            basic_auth_users:
              {User}: '{hash}'
            """);
        return file;
    }

    /// <summary>Polls PATH until it answers 2xx over TLS with the credentials, failing early if the server died.</summary>
    public async Task WaitForOkAsync(BackgroundProcess server, string baseUrl, string path, TimeSpan timeout)
    {
        using var http = Client(baseUrl);
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"{server.Name} exited:\n{server.RecentOutput}");
            }

            try
            {
                using var r = await http.GetAsync(path);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timeout";
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{server.Name} did not answer {baseUrl}{path} within {timeout} ({last}):\n{server.RecentOutput}");
    }
}
