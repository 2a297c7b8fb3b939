using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Collector.Labels;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Ingest;

/// <summary>
/// Checks a whole batch before anything is recorded (a batch is all or nothing) and names every problem by its
/// JSON path, e.g. <c>events[3].duration_seconds</c>. Values that become labels are bounded in length and charset,
/// and redacted when they look like paths, e-mails, URLs with queries or credentials.
/// </summary>
public sealed class EventValidator(IngestOptions options, CustomMetricRegistry custom)
{
    /// <summary>Stop collecting after this many problems: the answer stays small for a hostile batch.</summary>
    private const int MaxReportedProblems = 50;

    private const double MaxSeconds = 366 * 24 * 3600;
    private const long MaxTokens = 1_000_000_000;
    private const long MaxCount = 1_000_000_000;

    private static readonly string ExpectedTypes = string.Join(", ", EventTypes.All);

    public ValidatedBatch? Validate(EventBatch? batch, out Dictionary<string, string[]> problems)
    {
        problems = [];
        if (batch?.Events is null)
        {
            problems["events"] = ["required: an array of events"];
            return null;
        }

        if (batch.Events.Count == 0)
        {
            problems["events"] = ["must contain at least one event"];
            return null;
        }

        if (batch.Events.Count > options.MaxEventsPerBatch)
        {
            problems["events"] = [$"at most {options.MaxEventsPerBatch} events per batch, got {batch.Events.Count}"];
            return null;
        }

        var result = new ValidatedBatch();
        var c = new Check(problems, options);
        for (var i = 0; i < batch.Events.Count && !c.Full; i++)
        {
            var e = batch.Events[i];
            var at = $"events[{i}]";
            if (e is null)
            {
                c.Add(at, "must be an object");
                continue;
            }

            switch (e.Type)
            {
                case EventTypes.Run:
                    Run(e, at, c, result);
                    break;
                case EventTypes.LlmCall:
                    LlmCall(e, at, c, result);
                    break;
                case EventTypes.ToolCall:
                    ToolCall(e, at, c, result);
                    break;
                case EventTypes.QueueSnapshot:
                    Queue(e, at, c, result);
                    break;
                case EventTypes.Metric:
                    Metric(e, at, c, result);
                    break;
                case null:
                    c.Add(at + ".type", $"required: one of {ExpectedTypes}");
                    break;
                default:
                    c.Add(at + ".type", $"unknown event type '{Check.Truncate(e.Type)}': expected one of {ExpectedTypes}");
                    break;
            }
        }

        return problems.Count == 0 ? result : null;
    }

    private void Run(IngestEvent e, string at, Check c, ValidatedBatch result)
    {
        var start = c.Count;
        var agent = c.Label(e.Agent, at + ".agent", required: true);
        var team = c.Label(e.Team, at + ".team");
        var env = c.Label(e.Environment, at + ".environment");
        var error = c.Label(e.ErrorCategory, at + ".error_category");
        var duration = c.Seconds(e.DurationSeconds, at + ".duration_seconds", required: true);
        var estimate = c.Seconds(e.EstimatedDurationSeconds, at + ".estimated_duration_seconds", required: false);
        var blockers = c.Count32(e.Blockers, at + ".blockers");
        var retries = c.Count32(e.Retries, at + ".retries");
        var lines = c.Count64(e.LinesDelivered, at + ".lines_delivered");
        if (!RunOutcomeNames.TryParse(e.Outcome, out var outcome))
        {
            c.Add(at + ".outcome", e.Outcome is null
                ? "required: one of success, failure, blocked, cancelled"
                : $"unknown outcome '{Check.Truncate(e.Outcome)}': expected success, failure, blocked or cancelled");
        }

        if (e.RunId is { Length: > 256 })
        {
            c.Add(at + ".run_id", "at most 256 characters");
        }

        List<PhaseTiming>? phases = null;
        if (e.Phases is { } sent)
        {
            if (sent.Count > options.MaxPhasesPerRun)
            {
                c.Add(at + ".phases", $"at most {options.MaxPhasesPerRun} phases per run");
            }
            else
            {
                phases = new List<PhaseTiming>(sent.Count);
                for (var p = 0; p < sent.Count; p++)
                {
                    var phase = sent[p];
                    var pat = $"{at}.phases[{p}]";
                    if (phase is null)
                    {
                        c.Add(pat, "must be an object");
                        continue;
                    }

                    var name = c.Label(phase.Name, pat + ".name", required: true);
                    var seconds = c.Seconds(phase.DurationSeconds, pat + ".duration_seconds", required: true);
                    if (name is not null && seconds is not null)
                    {
                        phases.Add(new PhaseTiming(name, seconds.Value));
                    }
                }
            }
        }

        if (c.Count == start)
        {
            result.Runs.Add(new RunRecord(agent!, outcome, duration!.Value, error)
            {
                Team = team,
                Environment = env,
                EstimatedDurationSeconds = estimate,
                Blockers = blockers,
                Retries = retries,
                LinesDelivered = lines,
                Phases = phases,
            });
        }
    }

    private static void LlmCall(IngestEvent e, string at, Check c, ValidatedBatch result)
    {
        var start = c.Count;
        var provider = c.Label(e.Provider, at + ".provider", required: true);
        var model = c.Label(e.Model, at + ".model", required: true);
        var responseModel = c.Label(e.ResponseModel, at + ".response_model");
        var operation = c.Label(e.Operation, at + ".operation", required: true);
        var agent = c.Label(e.Agent, at + ".agent", required: true);
        var team = c.Label(e.Team, at + ".team");
        var error = c.Label(e.ErrorType, at + ".error_type");
        var duration = c.Seconds(e.DurationSeconds, at + ".duration_seconds", required: true);
        var ttft = c.Seconds(e.TimeToFirstTokenSeconds, at + ".time_to_first_token_seconds", required: false);
        var input = c.Tokens(e.InputTokens, at + ".input_tokens", required: true);
        var output = c.Tokens(e.OutputTokens, at + ".output_tokens", required: true);
        var cached = c.Tokens(e.CachedInputTokens, at + ".cached_input_tokens", required: false);
        var reasoning = c.Tokens(e.ReasoningTokens, at + ".reasoning_tokens", required: false);
        if (cached > input)
        {
            c.Add(at + ".cached_input_tokens", "cannot exceed input_tokens (cached tokens are part of the input)");
        }

        if (reasoning > output)
        {
            c.Add(at + ".reasoning_tokens", "cannot exceed output_tokens (reasoning tokens are part of the output)");
        }

        if (ttft > duration)
        {
            c.Add(at + ".time_to_first_token_seconds", "cannot exceed duration_seconds");
        }

        if (c.Count == start)
        {
            result.LlmCalls.Add(new LlmCallRecord(provider!, model!, operation!, agent!, input!.Value, output!.Value, duration!.Value, error)
            {
                Team = team,
                ResponseModel = responseModel,
                CachedInputTokens = cached ?? 0,
                ReasoningTokens = reasoning ?? 0,
                TimeToFirstTokenSeconds = ttft,
            });
        }
    }

    private static void ToolCall(IngestEvent e, string at, Check c, ValidatedBatch result)
    {
        var start = c.Count;
        var tool = c.Label(e.Tool, at + ".tool", required: true);
        var agent = c.Label(e.Agent, at + ".agent", required: true);
        var team = c.Label(e.Team, at + ".team");
        var error = c.Label(e.ErrorType, at + ".error_type");
        var duration = c.Seconds(e.DurationSeconds, at + ".duration_seconds", required: true);
        if (e.Outcome is not ("success" or "failure"))
        {
            c.Add(at + ".outcome", "required: success or failure");
        }

        if (c.Count == start)
        {
            // A failed call without a reason still needs error.type: the conventions' fallback value is _OTHER.
            var errorType = e.Outcome == "failure" ? error ?? "_OTHER" : null;
            result.ToolCalls.Add(new ToolCallRecord(tool!, agent!, duration!.Value, errorType) { Team = team });
        }
    }

    private static void Queue(IngestEvent e, string at, Check c, ValidatedBatch result)
    {
        var start = c.Count;
        var queue = c.Label(e.Queue, at + ".queue", required: true);
        var depth = c.Count64(e.Depth, at + ".depth", required: true);
        var busy = c.Count64(e.BusyExecutors, at + ".busy_executors", required: true);
        var idle = c.Count64(e.IdleExecutors, at + ".idle_executors", required: true);
        if (c.Count == start)
        {
            result.Queues.Add(new QueueSnapshot(queue!, depth, busy, idle));
        }
    }

    private void Metric(IngestEvent e, string at, Check c, ValidatedBatch result)
    {
        if (e.Name is null || !custom.TryGet(e.Name, out var metric))
        {
            c.Add(at + ".name", e.Name is null
                ? "required: a custom metric declared in PerfOtel:CustomMetrics"
                : $"undeclared metric '{Check.Truncate(e.Name)}': declare it in PerfOtel:CustomMetrics first");
            return;
        }

        var start = c.Count;
        if (e.Value is not { } value || !double.IsFinite(value) || (metric.IsCounter && value < 0))
        {
            c.Add(at + ".value", metric.IsCounter ? "required: a finite number >= 0 (counter)" : "required: a finite number");
        }

        var tags = new KeyValuePair<string, object?>[e.Labels?.Count ?? 0];
        var n = 0;
        foreach (var (key, raw) in e.Labels ?? [])
        {
            if (!metric.AllowedLabels.Contains(key))
            {
                c.Add($"{at}.labels.{Check.Truncate(key)}", $"label not declared for '{metric.Definition.Name}' (allowed: {string.Join(", ", metric.Definition.Labels)})");
                continue;
            }

            var v = c.Label(raw, $"{at}.labels.{key}", required: true);
            tags[n++] = new(key, v);
        }

        if (c.Count == start)
        {
            result.Custom.Add(new CustomMeasurement(metric, e.Value!.Value, tags));
        }
    }

    /// <summary>Collects problems and checks single fields.</summary>
    private sealed class Check(Dictionary<string, string[]> into, IngestOptions options)
    {
        private int count;

        public int Count => count;

        public bool Full => into.Count >= MaxReportedProblems;

        public void Add(string at, string message)
        {
            count++;
            if (!Full || into.ContainsKey(at))
            {
                into[at] = into.TryGetValue(at, out var existing) ? [.. existing, message] : [message];
            }
        }

        public static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

        /// <summary>A value that becomes a metric label: redacted if sensitive, then bounded length and charset.</summary>
        public string? Label(string? value, string at, bool required = false)
        {
            if (value is null)
            {
                if (required)
                {
                    Add(at, "required");
                }

                return null;
            }

            if (value.Length == 0 || value.Length > options.MaxLabelLength)
            {
                Add(at, $"must be 1 to {options.MaxLabelLength} characters");
                return null;
            }

            if (LabelRedactor.Redaction(value) is { } marker)
            {
                return marker;
            }

            foreach (var ch in value)
            {
                if (!(char.IsAsciiLetterOrDigit(ch) || ch is ' ' or '.' or '_' or '-' or ':' or '/' or '@' or '+'))
                {
                    Add(at, "may contain only letters, digits, space and . _ - : / @ +");
                    return null;
                }
            }

            return value;
        }

        public double? Seconds(double? value, string at, bool required)
        {
            if (value is null)
            {
                if (required)
                {
                    Add(at, "required: seconds, a finite number >= 0");
                }

                return null;
            }

            if (!double.IsFinite(value.Value) || value.Value < 0 || value.Value > MaxSeconds)
            {
                Add(at, "must be a finite number of seconds between 0 and one year");
                return null;
            }

            return value;
        }

        public long? Tokens(long? value, string at, bool required)
        {
            if (value is null)
            {
                if (required)
                {
                    Add(at, "required: a whole number >= 0");
                }

                return null;
            }

            if (value.Value is < 0 or > MaxTokens)
            {
                Add(at, $"must be between 0 and {MaxTokens:N0}");
                return null;
            }

            return value;
        }

        public long Count64(long? value, string at, bool required = false)
        {
            if (value is null)
            {
                if (required)
                {
                    Add(at, "required: a whole number >= 0");
                }

                return 0;
            }

            if (value.Value is < 0 or > MaxCount)
            {
                Add(at, $"must be between 0 and {MaxCount:N0}");
                return 0;
            }

            return value.Value;
        }

        public int Count32(int? value, string at) => (int)Count64(value, at);
    }
}
