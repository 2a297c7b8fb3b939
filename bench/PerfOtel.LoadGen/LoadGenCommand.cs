using System.CommandLine;
using System.CommandLine.Parsing;

namespace PerfOtel.LoadGen;

/// <summary>The command line: where to send, what to send, and how long (every loop is bounded).</summary>
public static class LoadGenCommand
{
    public const int MaxDurationSeconds = 600;
    public const long MaxBatches = 10_000_000;

    public static RootCommand Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Base URL of the collector; loopback only (127.0.0.0/8, ::1, localhost)",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:8080"),
            CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var u) ? u : Fail<Uri>(r, "not an absolute URL", null!),
        };
        var path = new Option<string>("--path") { Description = "Endpoint to post batches to (/v1/discard: the read-and-discard ceiling)", DefaultValueFactory = _ => "/v1/events" };
        var key = new Option<string?>("--key") { Description = "API key (prefer --key-file: a command line is visible to other users)" };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "File holding the API key" };
        var batchSize = Int("--batch-size", "Events per batch", 500, 1, 100_000);
        var concurrency = Int("--concurrency", "Requests in flight (one connection each)", 4, 1, 256);
        var duration = new Option<double?>("--duration-seconds") { Description = $"Length of the measured phase (default 10 s unless --batches is given; at most {MaxDurationSeconds})" };
        var batches = new Option<long?>("--batches") { Description = $"Batches in the measured phase (at most {MaxBatches}); the phase also ends after {MaxDurationSeconds} s" };
        var warmup = new Option<double>("--warmup-seconds") { Description = "Unmeasured load before the measured phase, after every distinct batch was sent once", DefaultValueFactory = _ => 3 };
        var agents = Int("--agents", "Distinct agent names", 10, 1, 100_000);
        var models = Int("--models", "Distinct model names (the provider follows the model)", 5, 1, 100_000);
        var runEvery = Int("--run-every", "One event in N is a run, the rest LLM calls; 0: LLM calls only", 5, 0, 1_000_000);
        var llmErrors = new Option<double>("--llm-error-rate") { Description = "Share of failed LLM calls (they add error_type label sets)", DefaultValueFactory = _ => 0.05 };
        var runFailures = new Option<double>("--run-failure-rate") { Description = "Share of failed runs", DefaultValueFactory = _ => 0.1 };
        var serverPid = new Option<int?>("--server-pid") { Description = "PID of the collector: report its CPU use during the measured phase and its RSS (from /proc)" };
        var scrape = Int("--scrape", "Time GET /metrics this many times after the load", 0, 0, 1000);
        var metricsPath = new Option<string>("--metrics-path") { Description = "Path of the Prometheus endpoint", DefaultValueFactory = _ => "/metrics" };
        var scrapeAccept = new Option<string>("--scrape-accept") { Description = "Accept header of the scrapes (default: what Prometheus 2.x sends)", DefaultValueFactory = _ => MetricsScrape.PrometheusAccept };
        var scrapeOnly = new Option<bool>("--scrape-only") { Description = "Send no events: only scrape (and read --server-pid)" };

        var root = new RootCommand("PerfOtel load generator: posts event batches to a collector on this machine and reports events/s, batch latency, scrape time and server RSS.");
        foreach (var o in new Option[] { url, path, key, keyFile, batchSize, concurrency, duration, batches, warmup, agents, models, runEvery, llmErrors, runFailures, serverPid, scrape, metricsPath, scrapeAccept, scrapeOnly })
        {
            root.Options.Add(o);
        }

        root.Validators.Add(r =>
        {
            var u = r.GetValue(url);
            if (u is not null && !Loopback.IsLoopbackUrl(u))
            {
                r.AddError($"--url {u}: only http(s) URLs on loopback addresses are allowed");
            }

            if (r.GetValue(key) is null && r.GetValue(keyFile) is null && !r.GetValue(scrapeOnly))
            {
                r.AddError("an API key is required: --key-file FILE or --key KEY");
            }

            if (r.GetValue(duration) is { } d && (d <= 0 || d > MaxDurationSeconds))
            {
                r.AddError($"--duration-seconds must be in (0, {MaxDurationSeconds}]");
            }

            if (r.GetValue(batches) is { } b && (b < 1 || b > MaxBatches))
            {
                r.AddError($"--batches must be in [1, {MaxBatches}]");
            }

            if (r.GetValue(warmup) is < 0 or > MaxDurationSeconds)
            {
                r.AddError($"--warmup-seconds must be in [0, {MaxDurationSeconds}]");
            }

            foreach (var rate in new[] { llmErrors, runFailures })
            {
                if (r.GetValue(rate) is < 0 or > 1)
                {
                    r.AddError($"{rate.Name} must be between 0 and 1");
                }
            }
        });

        root.SetAction((r, ct) =>
        {
            var baseUrl = r.GetValue(url)!;
            var keyText = r.GetValue(key) ?? (r.GetValue(keyFile) is { } f ? File.ReadAllText(f.FullName).Trim() : "");
            var settings = new LoadSettings(
                new Uri(baseUrl, r.GetValue(path)),
                new Uri(baseUrl, r.GetValue(metricsPath)),
                keyText,
                r.GetValue(batchSize),
                r.GetValue(concurrency),
                TimeSpan.FromSeconds(r.GetValue(duration) ?? (r.GetValue(batches) is null ? 10 : MaxDurationSeconds)),
                r.GetValue(batches) ?? MaxBatches,
                TimeSpan.FromSeconds(r.GetValue(warmup)),
                new EventMix(r.GetValue(agents), r.GetValue(models), r.GetValue(runEvery), r.GetValue(llmErrors), r.GetValue(runFailures)),
                r.GetValue(serverPid) is { } pid ? new ServerProcess(pid) : null,
                r.GetValue(scrape),
                r.GetValue(scrapeAccept)!,
                r.GetValue(scrapeOnly));
            return LoadSession.RunAsync(settings, Console.Out, ct);
        });
        return root;
    }

    private static Option<int> Int(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = $"{description} ({min}..{max})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => int.TryParse(r.Tokens[0].Value, out var v) && v >= min && v <= max
            ? v
            : Fail(r, $"must be a whole number in [{min}, {max}]", defaultValue),
    };

    private static T Fail<T>(ArgumentResult result, string message, T fallback)
    {
        result.AddError($"{result.Parent?.ToString() ?? "option"}: '{result.Tokens[0].Value}' {message}");
        return fallback;
    }
}

/// <summary>Parsed settings of one load generator run.</summary>
public sealed record LoadSettings(
    Uri Target,
    Uri MetricsUrl,
    string ApiKey,
    int BatchSize,
    int Concurrency,
    TimeSpan Duration,
    long Batches,
    TimeSpan Warmup,
    EventMix Mix,
    ServerProcess? Server,
    int Scrapes,
    string ScrapeAccept,
    bool ScrapeOnly);
