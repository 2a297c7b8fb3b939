using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfOtel.Collector.Thresholds;

/// <summary>The thresholds file: defaults for the fleet, and per-agent overrides.</summary>
public sealed class ThresholdsFile
{
    public Dictionary<string, double>? Defaults { get; set; }

    public Dictionary<string, Dictionary<string, double>>? Agents { get; set; }
}

/// <summary>One threshold in force.</summary>
public readonly record struct ThresholdValue(string Name, string? Agent, double Value);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ThresholdsFile))]
internal sealed partial class ThresholdsJsonContext : JsonSerializerContext;

/// <summary>Parses and validates a thresholds file; every problem is named with the file.</summary>
public static class ThresholdsParser
{
    public static IReadOnlyList<ThresholdValue> Parse(byte[] json, string source)
    {
        ThresholdsFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, ThresholdsJsonContext.Default.ThresholdsFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid thresholds JSON: {e.Message}");
        }

        if (file is null)
        {
            throw new InvalidDataException($"{source}: empty");
        }

        var merged = new Dictionary<string, double>(ThresholdCatalog.Defaults, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, value) in file.Defaults ?? [])
        {
            Check(name, value, "defaults", problems);
            merged[name] = value;
        }

        var result = merged.Select(kv => new ThresholdValue(kv.Key, null, kv.Value)).ToList();
        foreach (var (agent, overrides) in file.Agents ?? [])
        {
            if (agent.Length is 0 or > 128 || agent.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or ':' or '/' or '@' or '+')))
            {
                problems.Add($"agents.'{agent}': not a valid agent name");
                continue;
            }

            foreach (var (name, value) in overrides)
            {
                Check(name, value, $"agents.{agent}", problems);
                if (ThresholdCatalog.FleetWide.Contains(name))
                {
                    problems.Add($"agents.{agent}.{name}: a fleet-wide threshold cannot be set per agent");
                }

                result.Add(new ThresholdValue(name, agent, value));
            }
        }

        return problems.Count == 0 ? result : throw new InvalidDataException($"{source}: {string.Join("; ", problems)}");
    }

    private static void Check(string name, double value, string at, List<string> problems)
    {
        if (!ThresholdCatalog.Defaults.ContainsKey(name))
        {
            problems.Add($"{at}.{name}: unknown threshold (known: {string.Join(", ", ThresholdCatalog.Defaults.Keys.Order())})");
        }
        else if (!double.IsFinite(value) || value < 0)
        {
            problems.Add($"{at}.{name}: must be a finite number >= 0");
        }
    }
}
