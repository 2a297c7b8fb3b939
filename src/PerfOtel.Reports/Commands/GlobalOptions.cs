using System.CommandLine;

namespace PerfOtel.Reports.Commands;

/// <summary>Options every subcommand understands, given before or after the subcommand name.</summary>
internal sealed class GlobalOptions
{
    public const string PrometheusUrlVariable = "PERFOTEL_PROMETHEUS_URL";
    public const string DefaultPrometheusUrl = "http://127.0.0.1:9090";

    public GlobalOptions(CliContext context)
    {
        PrometheusUrl = new Option<Uri>("--prometheus-url")
        {
            Description = $"Base URL of the Prometheus HTTP API (env {PrometheusUrlVariable})",
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
    }

    public Option<Uri> PrometheusUrl { get; }

    public void AddTo(Command root) => root.Options.Add(PrometheusUrl);

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
