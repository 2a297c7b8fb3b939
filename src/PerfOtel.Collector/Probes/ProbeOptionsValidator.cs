using Microsoft.Extensions.Options;

namespace PerfOtel.Collector.Probes;

/// <summary>
/// Checks <see cref="ProbeOptions"/> at start-up and reports every mistake at once, each naming its component, so a
/// bad configuration fails the start instead of a probe reporting a healthy component as down forever.
/// </summary>
public sealed class ProbeOptionsValidator : IValidateOptions<ProbeOptions>
{
    // Below 0.1 s a probe loop is a busy loop; above a day a probe is no health signal (and the timer's range ends).
    public const double MinIntervalSeconds = 0.1;
    public const double MaxIntervalSeconds = 86400;

    public ValidateOptionsResult Validate(string? name, ProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!(options.IntervalSeconds >= MinIntervalSeconds && options.IntervalSeconds <= MaxIntervalSeconds))
        {
            errors.Add($"{ProbeOptions.Section}:IntervalSeconds must be between {MinIntervalSeconds} and {MaxIntervalSeconds} (is {options.IntervalSeconds}).");
        }

        if (!(options.TimeoutSeconds > 0))
        {
            errors.Add($"{ProbeOptions.Section}:TimeoutSeconds must be > 0 (is {options.TimeoutSeconds}).");
        }
        else if (options.TimeoutSeconds >= options.IntervalSeconds)
        {
            errors.Add($"{ProbeOptions.Section}:TimeoutSeconds ({options.TimeoutSeconds}) must be less than IntervalSeconds ({options.IntervalSeconds}): a probe must end before the next one starts.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Components.Count; i++)
        {
            var c = options.Components[i];
            var at = $"{ProbeOptions.Section}:Components:{i}";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                errors.Add($"{at}: Name is required.");
            }
            else
            {
                at = $"{at} ('{c.Name}')";
                if (!names.Add(c.Name))
                {
                    errors.Add($"{at}: duplicate component name '{c.Name}' (names are the 'component' label and must be unique, ignoring case).");
                }
            }

            if (!(c.Weight >= 0) || double.IsInfinity(c.Weight))
            {
                errors.Add($"{at}: Weight must be a finite number >= 0 (is {c.Weight}).");
            }

            switch (ProbeKinds.Normalize(c.Kind))
            {
                case ProbeKinds.Http:
                    ValidateHttp(c, at, errors);
                    break;
                case ProbeKinds.Tcp:
                    ValidateTcp(c, at, errors);
                    break;
                default:
                    errors.Add($"{at}: unknown Kind '{c.Kind}'; expected '{ProbeKinds.Http}' or '{ProbeKinds.Tcp}'.");
                    break;
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateHttp(ComponentProbeOptions c, string at, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(c.Url))
        {
            errors.Add($"{at}: Kind 'http' needs Url.");
        }
        else if (!Uri.TryCreate(c.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{at}: Url '{c.Url}' is not an absolute http(s) URL.");
        }

        if (c.ExpectedStatus is < 100 or > 599)
        {
            errors.Add($"{at}: ExpectedStatus must be an HTTP status 100-599 (is {c.ExpectedStatus}).");
        }
    }

    private static void ValidateTcp(ComponentProbeOptions c, string at, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(c.Host))
        {
            errors.Add($"{at}: Kind 'tcp' needs Host.");
        }

        if (c.Port is null)
        {
            errors.Add($"{at}: Kind 'tcp' needs Port.");
        }
        else if (c.Port is < 1 or > 65535)
        {
            errors.Add($"{at}: Port must be 1-65535 (is {c.Port}).");
        }
    }
}
