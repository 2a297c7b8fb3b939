namespace PerfOtel.DemoFleet.Incidents;

/// <summary>One planned incident: what, when (time since the fleet started) and for how long.</summary>
public sealed record Incident(IncidentKind Kind, TimeSpan Start, TimeSpan Length)
{
    public TimeSpan End => Start + Length;

    public override string ToString() => $"{Kind.Name()}@{DurationText.Format(Start)}+{DurationText.Format(Length)}";
}

/// <summary>
/// When incidents happen: either an explicit list (<c>error-spike@10m+5m,component-down@30m+3m</c>) or a rotation
/// (every <c>Every</c>, the next kind of <c>Kinds</c> for <c>Length</c>, the first one <c>Every</c> after the start).
/// Incidents never overlap: each one's effect stays readable on the dashboards.
/// </summary>
public sealed class IncidentSchedule
{
    private readonly IReadOnlyList<Incident> explicitList;
    private readonly TimeSpan every;
    private readonly TimeSpan length;
    private readonly IReadOnlyList<IncidentKind> kinds;

    private IncidentSchedule(IReadOnlyList<Incident> explicitList, TimeSpan every, TimeSpan length, IReadOnlyList<IncidentKind> kinds)
    {
        this.explicitList = explicitList;
        this.every = every;
        this.length = length;
        this.kinds = kinds;
    }

    public static IncidentSchedule None { get; } = new([], TimeSpan.Zero, TimeSpan.Zero, []);

    /// <summary>A rotation; <paramref name="every"/> zero or no kinds means no incidents.</summary>
    public static IncidentSchedule Rotation(TimeSpan every, TimeSpan length, IReadOnlyList<IncidentKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (every <= TimeSpan.Zero || length <= TimeSpan.Zero || kinds.Count == 0)
        {
            return None;
        }

        // At least a minute of calm between two incidents, so that alerts resolve before the next one.
        var clipped = length < every - TimeSpan.FromMinutes(1) ? length : every / 2;
        return new IncidentSchedule([], every, clipped, kinds);
    }

    /// <summary>An explicit list; overlapping entries are an error.</summary>
    public static IncidentSchedule Explicit(IReadOnlyList<Incident> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var sorted = incidents.OrderBy(i => i.Start).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Start < sorted[i - 1].End)
            {
                throw new ArgumentException($"incidents {sorted[i - 1]} and {sorted[i]} overlap");
            }
        }

        return new IncidentSchedule(sorted, TimeSpan.Zero, TimeSpan.Zero, []);
    }

    /// <summary>Parses <c>kind@start+length</c> entries separated by commas (or spaces).</summary>
    public static bool TryParseList(string text, out List<Incident> incidents, out string error)
    {
        incidents = [];
        error = "";
        foreach (var entry in (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            var plus = entry.IndexOf('+', StringComparison.Ordinal);
            if (at < 1 || plus < at)
            {
                error = $"'{entry}': expected KIND@START+LENGTH, e.g. error-spike@10m+5m";
                return false;
            }

            if (!IncidentKinds.TryParse(entry[..at], out var kind))
            {
                error = $"'{entry}': unknown incident '{entry[..at]}' (known: {IncidentKinds.Names})";
                return false;
            }

            if (!DurationText.TryParse(entry[(at + 1)..plus], out var start) || !DurationText.TryParse(entry[(plus + 1)..], out var length) || length <= TimeSpan.Zero)
            {
                error = $"'{entry}': START and LENGTH are durations such as 90s, 10m, 1h (LENGTH above zero)";
                return false;
            }

            incidents.Add(new Incident(kind, start, length));
        }

        return true;
    }

    public bool IsEmpty => explicitList.Count == 0 && kinds.Count == 0;

    /// <summary>The incident in force at <paramref name="elapsed"/> since the start, if any.</summary>
    public Incident? ActiveAt(TimeSpan elapsed)
    {
        foreach (var i in explicitList)
        {
            if (elapsed >= i.Start && elapsed < i.End)
            {
                return i;
            }
        }

        if (kinds.Count == 0 || elapsed < every)
        {
            return null;
        }

        var n = (long)(elapsed.Ticks / every.Ticks);
        var start = TimeSpan.FromTicks(n * every.Ticks);
        return elapsed < start + length ? new Incident(kinds[(int)((n - 1) % kinds.Count)], start, length) : null;
    }

    public override string ToString() => IsEmpty
        ? "none"
        : explicitList.Count > 0
            ? string.Join(", ", explicitList)
            : $"every {DurationText.Format(every)} for {DurationText.Format(length)}: {string.Join(", ", kinds.Select(k => k.Name()))} in turn";
}
