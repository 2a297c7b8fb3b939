namespace PerfOtel.Collector.Configuration;

/// <summary>
/// Basic authentication of <c>/metrics</c> (section <c>PerfOtel:Metrics</c>). Off when <see cref="PasswordFile"/> is
/// unset (the demo profile, bound to loopback or the compose network); the production profile sets both, and
/// Prometheus scrapes with <c>basic_auth.password_file</c> reading the same generated secret.
/// </summary>
public sealed class MetricsAuthOptions
{
    public const string Section = "PerfOtel:Metrics";

    public string Username { get; set; } = "prometheus";

    /// <summary>File holding the scrape password (plain text, one line); never the password itself in configuration.</summary>
    public string? PasswordFile { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(PasswordFile);
}
