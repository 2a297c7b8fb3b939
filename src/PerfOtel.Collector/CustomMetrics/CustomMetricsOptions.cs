using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PerfOtel.Collector.CustomMetrics;

/// <summary>Custom metrics operators declare (section <c>PerfOtel:CustomMetrics</c>); events may only use these.</summary>
public sealed class CustomMetricsOptions
{
    public const string Section = "PerfOtel:CustomMetrics";

    public List<CustomMetricDefinition> Metrics { get; set; } = [];
}

/// <summary>One declared metric: OTel name, kind, unit, allowed label keys, histogram buckets.</summary>
public sealed class CustomMetricDefinition
{
    public string Name { get; set; } = "";

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Kind { get; set; } = "";

    public string? Unit { get; set; }

    public string? Description { get; set; }

    public List<string> Labels { get; set; } = [];

    public List<double>? Buckets { get; set; }
}

/// <summary>Refuses a declaration that would break exposition or shadow PerfOtel's own metrics, at start-up.</summary>
public sealed partial class CustomMetricsOptionsValidator : IValidateOptions<CustomMetricsOptions>
{
    private static readonly string[] Reserved = ["gen_ai.", "agent.", "perfotel.", "process.", "dotnet.", "http.", "kestrel.", "aspnetcore."];

    public ValidateOptionsResult Validate(string? name, CustomMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in options.Metrics)
        {
            var at = $"{CustomMetricsOptions.Section}: metric '{m.Name}'";
            if (!MetricName().IsMatch(m.Name))
            {
                errors.Add($"{at}: name must match {MetricName()}");
            }

            if (Reserved.Any(p => m.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                errors.Add($"{at}: names starting with {string.Join(", ", Reserved)} are reserved");
            }

            if (!names.Add(m.Name))
            {
                errors.Add($"{at}: declared twice");
            }

            if (m.Kind is not ("counter" or "gauge" or "histogram"))
            {
                errors.Add($"{at}: kind must be counter, gauge or histogram, not '{m.Kind}'");
            }

            if (m.Labels.Count > 6)
            {
                errors.Add($"{at}: at most 6 labels");
            }

            foreach (var label in m.Labels.Where(l => !LabelName().IsMatch(l)))
            {
                errors.Add($"{at}: label '{label}' must match {LabelName()}");
            }

            if (m.Buckets is { } b && (m.Kind != "histogram" || b.Count == 0 || b.Zip(b.Skip(1)).Any(p => p.First >= p.Second)))
            {
                errors.Add($"{at}: buckets are for histograms and must be strictly increasing");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_.]{0,99}$")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^[a-z][a-z0-9_.]{0,49}$")]
    private static partial Regex LabelName();
}
