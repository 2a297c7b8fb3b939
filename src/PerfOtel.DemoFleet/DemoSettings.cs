using System.Collections;
using System.Globalization;
using System.Net;
using PerfOtel.DemoFleet.Incidents;

namespace PerfOtel.DemoFleet;

/// <summary>A validated demo fleet configuration.</summary>
public sealed record DemoSettings(
    Uri CollectorUrl,
    string? ApiKey,
    string? ApiKeyFile,
    IPEndPoint? Listen,
    double RunsPerMinute,
    TimeSpan Tick,
    TimeSpan DayLength,
    double StartHour,
    double NightShare,
    IncidentSchedule Incidents,
    TimeSpan? Duration,
    int? Seed);

/// <summary>One setting: its command-line option, its environment variable, its default and what it means.</summary>
public sealed record SettingSpec(string Option, string Variable, string? Default, string Description);

/// <summary>
/// Reads the settings from the command line, then the environment (<c>PERFOTEL_DEMO_*</c>, <c>PERFOTEL_API_KEY*</c>),
/// then the defaults, and names every invalid one. Separate from the command-line library so that tests can call it.
/// </summary>
public static class DemoSettingsParser
{
    public static readonly SettingSpec Url = new("--url", "PERFOTEL_DEMO_URL", "http://127.0.0.1:8080", "Collector base URL (ingest: POST /v1/events)");
    public static readonly SettingSpec Key = new("--key", "PERFOTEL_API_KEY", null, "API key (prefer --key-file: a command line is visible to other users)");
    public static readonly SettingSpec KeyFile = new("--key-file", "PERFOTEL_API_KEY_FILE", null, "File holding the API key (waited for up to 60 s: the collector may still be creating it)");
    public static readonly SettingSpec Listen = new("--listen", "PERFOTEL_DEMO_LISTEN", "127.0.0.1:8099", "ADDRESS:PORT of the fleet's health endpoints for the collector's probes (/components/NAME/health), or 'off'");
    public static readonly SettingSpec AllowNonLoopback = new("--allow-non-loopback", "PERFOTEL_DEMO_ALLOW_NON_LOOPBACK", "false", "Allow a collector URL or a listen address off this machine (compose: the collector is another container)");
    public static readonly SettingSpec RunsPerMinute = new("--runs-per-minute", "PERFOTEL_DEMO_RUNS_PER_MINUTE", "30", "Agent runs per minute of the whole fleet at the daily peak (each run also sends 1-10 model calls and 1-3 tool calls)");
    public static readonly SettingSpec Tick = new("--tick", "PERFOTEL_DEMO_TICK", "5s", "Time between two batches (100ms..60s)");
    public static readonly SettingSpec DayLength = new("--day-length", "PERFOTEL_DEMO_DAY_LENGTH", "24h", "Real time one simulated day takes (e.g. 1h: a whole day's seasonality in an hour)");
    public static readonly SettingSpec StartHour = new("--start-hour", "PERFOTEL_DEMO_START_HOUR", null, "Simulated UTC hour of day at the start, 0-24 (default: the current UTC time of day)");
    public static readonly SettingSpec NightShare = new("--night-share", "PERFOTEL_DEMO_NIGHT_SHARE", "0.15", "Activity at night as a share of the peak, 0-1");
    public static readonly SettingSpec IncidentEvery = new("--incident-every", "PERFOTEL_DEMO_INCIDENT_EVERY", "20m", "Rotation: an incident every this often (0: none), the first one this long after the start");
    public static readonly SettingSpec IncidentLength = new("--incident-length", "PERFOTEL_DEMO_INCIDENT_LENGTH", "5m", "Rotation: how long each incident lasts");
    public static readonly SettingSpec IncidentKindsSpec = new("--incident-kinds", "PERFOTEL_DEMO_INCIDENT_KINDS", string.Join(',', IncidentKinds.All.Select(k => k.Name())), "Rotation: the incidents, in turn");
    public static readonly SettingSpec IncidentList = new("--incidents", "PERFOTEL_DEMO_INCIDENTS", null, "Explicit schedule instead of the rotation: KIND@START+LENGTH,... e.g. error-spike@10m+5m,component-down@30m+3m");
    public static readonly SettingSpec Duration = new("--duration", "PERFOTEL_DEMO_DURATION", null, "Stop after this long (default: until Ctrl-C or SIGTERM)");
    public static readonly SettingSpec Seed = new("--seed", "PERFOTEL_DEMO_SEED", null, "Random seed, for a reproducible fleet");

    public static readonly IReadOnlyList<SettingSpec> All =
        [Url, Key, KeyFile, Listen, AllowNonLoopback, RunsPerMinute, Tick, DayLength, StartHour, NightShare, IncidentEvery, IncidentLength, IncidentKindsSpec, IncidentList, Duration, Seed];

    /// <summary>Parses the settings; <paramref name="errors"/> names every problem (then the result is null).</summary>
    /// <param name="commandLine">Values given on the command line, by option name.</param>
    /// <param name="environment">The process environment (variable name to value).</param>
    /// <param name="now">The current time, for the default start hour.</param>
    public static DemoSettings? Parse(IReadOnlyDictionary<string, string?> commandLine, IDictionary environment, DateTimeOffset now, out List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        errors = problems;

        string? Value(SettingSpec s) =>
            commandLine.TryGetValue(s.Option, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim()
            : environment[s.Variable] is string e && !string.IsNullOrWhiteSpace(e) ? e.Trim()
            : s.Default;

        string Where(SettingSpec s) => commandLine.ContainsKey(s.Option) ? s.Option : $"{s.Option} ({s.Variable})";

        TimeSpan TimeSpanOf(SettingSpec s, TimeSpan min, TimeSpan max)
        {
            var text = Value(s);
            if (!DurationText.TryParse(text, out var d) || d < min || d > max)
            {
                problems.Add($"{Where(s)}: '{text}' is not a duration between {DurationText.Format(min)} and {DurationText.Format(max)} (e.g. 90s, 5m, 1h)");
            }

            return d;
        }

        double Number(SettingSpec s, double min, double max)
        {
            var text = Value(s);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x) || x < min || x > max)
            {
                problems.Add($"{Where(s)}: '{text}' is not a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
            }

            return x;
        }

        var allowRemote = Value(AllowNonLoopback) is { } a && (a == "1" || a.Equals("true", StringComparison.OrdinalIgnoreCase) || a.Equals("yes", StringComparison.OrdinalIgnoreCase));

        var urlText = Value(Url);
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            problems.Add($"{Where(Url)}: '{urlText}' is not an absolute http(s) URL");
            url = null;
        }
        else if (!allowRemote && !Loopback.IsLoopbackUrl(url))
        {
            problems.Add($"{Where(Url)}: {url} is not on this machine; pass --allow-non-loopback to send demo traffic there");
        }

        var key = Value(Key);
        var keyFile = Value(KeyFile);
        if (key is null && keyFile is null)
        {
            problems.Add($"an API key is required: {KeyFile.Option} FILE ({KeyFile.Variable}) or {Key.Option} KEY ({Key.Variable})");
        }

        IPEndPoint? listen = null;
        var listenText = Value(Listen);
        if (!string.Equals(listenText, "off", StringComparison.OrdinalIgnoreCase))
        {
            if (!IPEndPoint.TryParse(listenText ?? "", out listen) || listen.Port == 0 && !listenText!.EndsWith(":0", StringComparison.Ordinal))
            {
                problems.Add($"{Where(Listen)}: '{listenText}' is not ADDRESS:PORT (e.g. 127.0.0.1:8099) or 'off'");
                listen = null;
            }
            else if (!allowRemote && !IPAddress.IsLoopback(listen.Address))
            {
                problems.Add($"{Where(Listen)}: {listen} is not a loopback address; pass --allow-non-loopback to listen there");
            }
        }

        var runs = Number(RunsPerMinute, 0.1, 100_000);
        var tick = TimeSpanOf(Tick, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        var day = TimeSpanOf(DayLength, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        var startHour = Value(StartHour) is null ? now.UtcDateTime.TimeOfDay.TotalHours : Number(StartHour, 0, 24);
        var night = Number(NightShare, 0, 1);

        var schedule = IncidentSchedule.None;
        if (Value(IncidentList) is { } list)
        {
            if (!IncidentSchedule.TryParseList(list, out var incidents, out var error))
            {
                problems.Add($"{Where(IncidentList)}: {error}");
            }
            else
            {
                try
                {
                    schedule = IncidentSchedule.Explicit(incidents);
                }
                catch (ArgumentException e)
                {
                    problems.Add($"{Where(IncidentList)}: {e.Message}");
                }
            }
        }
        else
        {
            var every = TimeSpanOf(IncidentEvery, TimeSpan.Zero, TimeSpan.FromDays(7));
            var length = TimeSpanOf(IncidentLength, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
            var kinds = new List<IncidentKind>();
            foreach (var name in (Value(IncidentKindsSpec) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (IncidentKinds.TryParse(name, out var k))
                {
                    kinds.Add(k);
                }
                else
                {
                    problems.Add($"{Where(IncidentKindsSpec)}: unknown incident '{name}' (known: {IncidentKinds.Names})");
                }
            }

            schedule = IncidentSchedule.Rotation(every, length, kinds);
        }

        TimeSpan? duration = Value(Duration) is null ? null : TimeSpanOf(Duration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(3650));

        int? seed = null;
        if (Value(Seed) is { } seedText)
        {
            if (int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
            {
                seed = s;
            }
            else
            {
                problems.Add($"{Where(Seed)}: '{seedText}' is not a whole number");
            }
        }

        return problems.Count > 0 || url is null
            ? null
            : new DemoSettings(url, key, key is null ? keyFile : null, listen, runs, tick, day, startHour, night, schedule, duration, seed);
    }
}
