using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;

namespace PerfOtel.Collector.Labels;

/// <summary>
/// Caps the distinct values each label key may take. Past the cap a new value is recorded as
/// <see cref="Overflow"/>, so a client sending a million model names costs a bounded amount of memory and still
/// shows up (in the overflow series) instead of vanishing.
/// </summary>
public sealed class LabelCardinalityGuard(IOptions<IngestOptions> options)
{
    public const string Overflow = "_overflow";

    private readonly int cap = options.Value.MaxDistinctValuesPerLabel;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> seen = new(StringComparer.Ordinal);

    /// <summary>The value to record for a label: itself while under the cap or already known, else the overflow marker.</summary>
    public string Admit(string key, string value)
    {
        var values = seen.GetOrAdd(key, static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        if (values.ContainsKey(value))
        {
            return value;
        }

        // A race may let a few values past the cap: bounded by the number of concurrent requests.
        if (values.Count >= cap)
        {
            return Overflow;
        }

        values.TryAdd(value, 0);
        return value;
    }

    public string? AdmitOptional(string key, string? value) => value is null ? null : Admit(key, value);

    /// <summary>Distinct values admitted for a key (for tests and diagnostics).</summary>
    public int DistinctValues(string key) => seen.TryGetValue(key, out var v) ? v.Count : 0;
}
