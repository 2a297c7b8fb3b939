namespace PerfOtel.Collector.Probes;

/// <summary>Health probes of the components around the collector (section <c>PerfOtel:Probes</c>).</summary>
public sealed class ProbeOptions
{
    public const string Section = "PerfOtel:Probes";

    /// <summary>Time between the starts of two probes of one component.</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>Longest a single probe may take; a probe still running then counts as down. Must be below the interval.</summary>
    public double TimeoutSeconds { get; set; } = 5;

    public List<ComponentProbeOptions> Components { get; set; } = [];

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}

/// <summary>One probed component: an HTTP GET of <see cref="Url"/> or a TCP connect to <see cref="Host"/>:<see cref="Port"/>.</summary>
public sealed class ComponentProbeOptions
{
    /// <summary>Unique name; the <c>component</c> label.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>http</c> or <c>tcp</c> (see <see cref="ProbeKinds"/>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>http: absolute http(s) URL answered by a GET.</summary>
    public string? Url { get; set; }

    /// <summary>http: the status that means up. Redirects are not followed, so a 3xx is only up when expected.</summary>
    public int ExpectedStatus { get; set; } = 200;

    /// <summary>tcp: host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>tcp: port.</summary>
    public int? Port { get; set; }

    /// <summary>Share of the component in the weighted health score <c>sum(up*weight)/sum(weight)</c>; 0 = watched, not scored.</summary>
    public double Weight { get; set; } = 1.0;
}

/// <summary>The probe kinds, as configured and as the <c>probe.kind</c> label.</summary>
public static class ProbeKinds
{
    public const string Http = "http";
    public const string Tcp = "tcp";

    /// <summary>The canonical (lower-case) kind, or null when unknown.</summary>
    public static string? Normalize(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        Http => Http,
        Tcp => Tcp,
        _ => null,
    };
}
