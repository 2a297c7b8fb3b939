using System.Globalization;

namespace PerfOtel.Reports.Rendering;

/// <summary>How values read in every human-facing format (invariant culture: reports are compared and diffed).</summary>
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

    /// <summary>US dollars: cents above $1, four decimals below (<c>$1,234.50</c>, <c>$0.0042</c>).</summary>
    public static string Usd(double? value) => value switch
    {
        null => NoValue,
        { } v when Math.Abs(v) >= 1 || v == 0 => (v < 0 ? "-$" : "$") + Math.Abs(v).ToString("#,0.00", CultureInfo.InvariantCulture),
        { } v => (v < 0 ? "-$" : "$") + Math.Abs(v).ToString("0.0000", CultureInfo.InvariantCulture),
    };

    /// <summary>A plain number with up to two decimals (<c>1.35</c>).</summary>
    public static string Number(double? value) =>
        value is { } v ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : NoValue;

    /// <summary>A relative change, signed (<c>+38.0%</c>, <c>-5.2%</c>).</summary>
    public static string Change(double? value) =>
        value is { } v ? (v >= 0 ? "+" : "") + (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : NoValue;

    /// <summary>A change of a ratio in percentage points (<c>+2.5 pt</c>).</summary>
    public static string Points(double? value) =>
        value is { } v ? (v >= 0 ? "+" : "") + (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pt" : NoValue;

    /// <summary>A test statistic (<c>z = 3.1</c> is written <c>3.1</c>).</summary>
    public static string Z(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : NoValue;

    /// <summary>A value in the unit a KPI declares: <c>count</c>, <c>ratio</c>, <c>s</c>, <c>usd</c>, <c>x</c>.</summary>
    public static string Value(double? value, string unit) => unit switch
    {
        "count" or "tokens" => value is { } v ? Count(v) : NoValue,
        "ratio" => Ratio(value),
        "s" => Seconds(value),
        "usd" => Usd(value),
        "x" => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : NoValue,
        _ => Number(value),
    };

    /// <summary>A duration for people (<c>2h 5m</c>).</summary>
    public static string Duration(TimeSpan? span) => span is { } s ? Time.ReportTime.FormatSpan(TimeSpan.FromSeconds(Math.Round(s.TotalSeconds))) : NoValue;

    /// <summary>The agent name as shown; series without <c>gen_ai_agent_name</c> are grouped as "(none)".</summary>
    public static string Agent(string name) => name.Length == 0 ? "(none)" : name;
}
