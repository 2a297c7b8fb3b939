using System.Globalization;

namespace PerfOtel.Reports.Rendering;

/// <summary>How KPI values read in every human-facing format (invariant culture: reports are compared and diffed).</summary>
internal static class KpiFormat
{
    public const string NoValue = "n/a";

    /// <summary>Counts with thousands separators; a fractional count (a reset fell back to <c>increase()</c>) is rounded.</summary>
    public static string Count(double value) => Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage with one decimal (<c>83.3%</c>).</summary>
    public static string Ratio(double? value) =>
        value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : NoValue;

    /// <summary>Seconds with up to two decimals (<c>51 s</c>, <c>0.75 s</c>).</summary>
    public static string Seconds(double? value) =>
        value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + " s" : NoValue;

    /// <summary>The agent name as shown; series without <c>gen_ai_agent_name</c> are grouped as "(none)".</summary>
    public static string Agent(string name) => name.Length == 0 ? "(none)" : name;
}
