using System.ComponentModel.DataAnnotations;

namespace PerfOtel.Collector.Configuration;

/// <summary>Settings of the ingest API (section <c>PerfOtel:Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string Section = "PerfOtel:Ingest";

    /// <summary>Accepted API keys, each naming the source that uses it.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>
    /// When no key is configured: a file that holds the key, created with a random key (mode 0600) on first start.
    /// Lets <c>docker compose up</c> work without a default password in the repo.
    /// </summary>
    public string? GeneratedKeyFile { get; set; }

    [Range(1024, 256 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    [Range(1, 1_000_000)]
    public int MaxEventsPerBatch { get; set; } = 10_000;

    /// <summary>Longest accepted name-like value (agent, model, ...); it becomes a metric label.</summary>
    [Range(8, 1024)]
    public int MaxLabelLength { get; set; } = 128;

    /// <summary>Distinct values a label key (agent, model, ...) may take before new ones go to <c>_overflow</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxDistinctValuesPerLabel { get; set; } = 1000;

    /// <summary>Most phases per run.</summary>
    [Range(1, 1000)]
    public int MaxPhasesPerRun { get; set; } = 32;

    public RateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>Per-key request rate limit (token bucket). <see cref="RequestsPerSecond"/> 0 disables it.</summary>
public sealed class RateLimitOptions
{
    [Range(0, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;
}

/// <summary>One API key: inline (<see cref="Key"/>) or read from <see cref="KeyFile"/>.</summary>
public sealed class ApiKeyOptions
{
    [Required]
    public string Source { get; set; } = "";

    public string? Key { get; set; }

    public string? KeyFile { get; set; }
}
