using PerfOtel.Collector.Configuration;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Ingest;

/// <summary>
/// Checks a whole batch before anything is recorded (a batch is all or nothing) and names every problem by its
/// JSON path, e.g. <c>events[3].duration_seconds</c>.
/// </summary>
public sealed class EventValidator(IngestOptions options)
{
    /// <summary>Stop collecting after this many problems: the answer stays small for a hostile batch.</summary>
    private const int MaxReportedProblems = 50;

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
        var errors = new Problems(problems);
        for (var i = 0; i < batch.Events.Count && !errors.Full; i++)
        {
            var e = batch.Events[i];
            var at = $"events[{i}]";
            if (e is null)
            {
                errors.Add(at, "must be an object");
                continue;
            }

            switch (e.Type)
            {
                case EventTypes.Run:
                    ValidateRun(e, at, errors, result);
                    break;
                case EventTypes.LlmCall:
                    ValidateLlmCall(e, at, errors, result);
                    break;
                case null:
                    errors.Add(at + ".type", $"required: one of '{EventTypes.Run}', '{EventTypes.LlmCall}'");
                    break;
                default:
                    errors.Add(at + ".type", $"unknown event type '{Truncate(e.Type)}': expected '{EventTypes.Run}' or '{EventTypes.LlmCall}'");
                    break;
            }
        }

        return problems.Count == 0 ? result : null;
    }

    private void ValidateRun(IngestEvent e, string at, Problems errors, ValidatedBatch result)
    {
        var ok = Label(e.Agent, at + ".agent", errors, required: true);
        ok &= Duration(e.DurationSeconds, at + ".duration_seconds", errors);
        if (!RunOutcomeNames.TryParse(e.Outcome, out var outcome))
        {
            errors.Add(at + ".outcome", e.Outcome is null
                ? "required: one of success, failure, blocked, cancelled"
                : $"unknown outcome '{Truncate(e.Outcome)}': expected success, failure, blocked or cancelled");
            ok = false;
        }

        ok &= Label(e.ErrorCategory, at + ".error_category", errors, required: false);
        if (e.RunId is { Length: > 256 })
        {
            errors.Add(at + ".run_id", "at most 256 characters");
            ok = false;
        }

        if (ok)
        {
            result.Runs.Add(new RunRecord(e.Agent!, outcome, e.DurationSeconds!.Value, e.ErrorCategory));
        }
    }

    private void ValidateLlmCall(IngestEvent e, string at, Problems errors, ValidatedBatch result)
    {
        var ok = Label(e.Provider, at + ".provider", errors, required: true);
        ok &= Label(e.Model, at + ".model", errors, required: true);
        ok &= Label(e.Operation, at + ".operation", errors, required: true);
        ok &= Label(e.Agent, at + ".agent", errors, required: true);
        ok &= Label(e.ErrorType, at + ".error_type", errors, required: false);
        ok &= Duration(e.DurationSeconds, at + ".duration_seconds", errors);
        ok &= Tokens(e.InputTokens, at + ".input_tokens", errors);
        ok &= Tokens(e.OutputTokens, at + ".output_tokens", errors);
        if (ok)
        {
            result.LlmCalls.Add(new LlmCallRecord(
                e.Provider!, e.Model!, e.Operation!, e.Agent!, e.InputTokens!.Value, e.OutputTokens!.Value, e.DurationSeconds!.Value, e.ErrorType));
        }
    }

    /// <summary>A value that becomes a metric label: bounded length and a conservative charset.</summary>
    private bool Label(string? value, string at, Problems errors, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(at, "required");
            }

            return !required;
        }

        if (value.Length == 0 || value.Length > options.MaxLabelLength)
        {
            errors.Add(at, $"must be 1 to {options.MaxLabelLength} characters");
            return false;
        }

        foreach (var c in value)
        {
            if (!IsLabelChar(c))
            {
                errors.Add(at, "may contain only letters, digits, space and . _ - : / @ +");
                return false;
            }
        }

        return true;
    }

    private static bool IsLabelChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or ':' or '/' or '@' or '+';

    private static bool Duration(double? value, string at, Problems errors)
    {
        if (value is null)
        {
            errors.Add(at, "required: seconds, a finite number >= 0");
            return false;
        }

        if (!double.IsFinite(value.Value) || value.Value < 0 || value.Value > 366 * 24 * 3600)
        {
            errors.Add(at, "must be a finite number of seconds between 0 and one year");
            return false;
        }

        return true;
    }

    private static bool Tokens(long? value, string at, Problems errors)
    {
        if (value is null)
        {
            errors.Add(at, "required: a whole number >= 0");
            return false;
        }

        if (value.Value < 0 || value.Value > 1_000_000_000)
        {
            errors.Add(at, "must be between 0 and 1,000,000,000");
            return false;
        }

        return true;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private sealed class Problems(Dictionary<string, string[]> into)
    {
        public bool Full => into.Count >= MaxReportedProblems;

        public void Add(string at, string message)
        {
            if (!Full)
            {
                into[at] = into.TryGetValue(at, out var existing) ? [.. existing, message] : [message];
            }
        }
    }
}
