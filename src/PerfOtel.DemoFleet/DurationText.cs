using System.Globalization;

namespace PerfOtel.DemoFleet;

/// <summary>Durations as operators write them: <c>500ms</c>, <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, <c>1h30m</c>, or plain seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return FromSeconds(plain, out value);
        }

        double total = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || i == s.Length
                || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            if (s.AsSpan(i).StartsWith("ms"))
            {
                total += n / 1000;
                i += 2;
                continue;
            }

            var unit = s[i++] switch
            {
                's' => 1.0,
                'm' => 60.0,
                'h' => 3600.0,
                'd' => 86400.0,
                _ => double.NaN,
            };
            if (double.IsNaN(unit))
            {
                return false;
            }

            total += n * unit;
        }

        return FromSeconds(total, out value);
    }

    /// <summary>The shortest text that <see cref="TryParse"/> reads back as the same duration (whole seconds).</summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>(4);
        if (d.Days > 0)
        {
            parts.Add($"{d.Days}d");
        }

        if (d.Hours > 0)
        {
            parts.Add($"{d.Hours}h");
        }

        if (d.Minutes > 0)
        {
            parts.Add($"{d.Minutes}m");
        }

        if (d.Seconds > 0 || d.Milliseconds > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{d.Seconds + (d.Milliseconds / 1000.0)}s"));
        }

        return string.Concat(parts);
    }

    private static bool FromSeconds(double seconds, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(3650).TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
