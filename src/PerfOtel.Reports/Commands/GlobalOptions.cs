using System.CommandLine;
using System.Security.Cryptography;
using PerfOtel.Reports.Prometheus;

namespace PerfOtel.Reports.Commands;

/// <summary>Options every subcommand understands, given before or after the subcommand name.</summary>
internal sealed class GlobalOptions
{
    public const string PrometheusUrlVariable = "PERFOTEL_PROMETHEUS_URL";
    public const string UsernameVariable = "PERFOTEL_PROMETHEUS_USERNAME";
    public const string PasswordFileVariable = "PERFOTEL_PROMETHEUS_PASSWORD_FILE";
    public const string CaFileVariable = "PERFOTEL_PROMETHEUS_CA_FILE";
    public const string DefaultPrometheusUrl = "http://127.0.0.1:9090";

    public GlobalOptions(CliContext context)
    {
        PrometheusUrl = new Option<Uri>("--prometheus-url")
        {
            Description = $"Base URL of the Prometheus HTTP API, or of a long-term store that speaks it (env {PrometheusUrlVariable})",
            HelpName = "url",
            Recursive = true,
            CustomParser = result => ParseUrl(result, result.Tokens[0].Value, "--prometheus-url"),
            DefaultValueFactory = result =>
            {
                var fromEnvironment = context.GetEnvironmentVariable(PrometheusUrlVariable);
                return string.IsNullOrWhiteSpace(fromEnvironment)
                    ? new Uri(DefaultPrometheusUrl)
                    : ParseUrl(result, fromEnvironment, PrometheusUrlVariable);
            },
        };
        Username = FromEnvironment(context, "--prometheus-username", UsernameVariable, "name",
            "User for HTTP Basic auth (default: prometheus when a password file is given)");
        PasswordFile = FromEnvironment(context, "--prometheus-password-file", PasswordFileVariable, "file",
            "File holding the HTTP Basic password (keeps it out of command lines and URLs)");
        CaFile = FromEnvironment(context, "--prometheus-ca-file", CaFileVariable, "file",
            "PEM certificate of the private CA that signed the server's certificate (https URLs)");
    }

    public Option<Uri> PrometheusUrl { get; }

    public Option<string?> Username { get; }

    public Option<string?> PasswordFile { get; }

    public Option<string?> CaFile { get; }

    public void AddTo(Command root)
    {
        root.Options.Add(PrometheusUrl);
        root.Options.Add(Username);
        root.Options.Add(PasswordFile);
        root.Options.Add(CaFile);
    }

    /// <summary>The URL, with the password file's credentials in its user info, and the CA file; reads the files now.</summary>
    public PrometheusEndpoint Endpoint(ParseResult parsed)
    {
        var url = parsed.GetRequiredValue(PrometheusUrl);
        var caFile = parsed.GetValue(CaFile);
        if (caFile is not null)
        {
            try
            {
                using var _ = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new ReportFailure(ExitCodes.Usage, $"--prometheus-ca-file: cannot read a certificate from {caFile}: {e.Message}");
            }
        }

        var passwordFile = parsed.GetValue(PasswordFile);
        var username = parsed.GetValue(Username);
        if (passwordFile is null)
        {
            return username is null
                ? new PrometheusEndpoint(url, caFile)
                : throw new ReportFailure(ExitCodes.Usage, "--prometheus-username needs --prometheus-password-file");
        }

        string password;
        try
        {
            password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The message names the file, never its content.
            throw new ReportFailure(ExitCodes.Usage, $"--prometheus-password-file: cannot read {passwordFile}: {e.Message}");
        }

        var withCredentials = new UriBuilder(url)
        {
            UserName = Uri.EscapeDataString(username ?? "prometheus"),
            Password = Uri.EscapeDataString(password),
        };
        return new PrometheusEndpoint(withCredentials.Uri, caFile);
    }

    private static Option<string?> FromEnvironment(CliContext context, string name, string variable, string helpName, string description) =>
        new(name)
        {
            Description = $"{description} (env {variable})",
            HelpName = helpName,
            Recursive = true,
            DefaultValueFactory = _ => context.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null,
        };

    private static Uri ParseUrl(System.CommandLine.Parsing.ArgumentResult result, string text, string source)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        result.AddError($"{source}: '{text}' is not an http(s) URL");
        return new Uri(DefaultPrometheusUrl);
    }
}
