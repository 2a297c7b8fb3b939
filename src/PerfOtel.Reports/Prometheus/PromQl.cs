using System.Globalization;

namespace PerfOtel.Reports.Prometheus;

/// <summary>Pieces of PromQL the reports assemble their queries from.</summary>
internal static class PromQl
{
    /// <summary>A range-selector duration: whole seconds when possible (<c>3600s</c>), else milliseconds.</summary>
    public static string Duration(TimeSpan span)
    {
        var ms = (long)span.TotalMilliseconds;
        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>
    /// The exact increase of each counter series of <paramref name="selector"/> over the window that ends at
    /// the evaluation time, one result per series (aggregate it afterwards, never before).
    /// </summary>
    /// <remarks>
    /// <para><c>increase()</c> is not used for the counts: it extrapolates from the first and last sample in the
    /// window to the window's edges, so whole counts come out fractional, and for a series that appears inside the
    /// window (an agent's first run, a new error type, a new replica) it counts from the first sample instead
    /// of from zero, losing everything in that sample.</para>
    /// <para>Instead: the last value in the window minus the value at the window's start (<c>offset</c>: the
    /// newest sample at or before <c>from</c>, within the 5 min lookback, honouring staleness). A series without a
    /// value at the start was born inside the window and counts from zero, so its whole last value is the
    /// increase. The window <c>(from, to]</c> and the baseline at <c>from</c> meet exactly, so consecutive
    /// reports add up.</para>
    /// <para>A counter reset inside the window (collector restart) breaks "last minus first"; such series
    /// (<c>resets() &gt; 0</c>, or a negative difference from a reset right at the start) fall back to
    /// <c>increase()</c>, which handles resets but is approximate by up to about one scrape interval's worth.</para>
    /// </remarks>
    public static string ExactIncrease(string selector, string window)
    {
        var last = $"last_over_time({selector}[{window}])";
        var exact = $"(({last} - {selector} offset {window}) or {last}) >= 0";
        return $"(({exact}) unless (resets({selector}[{window}]) > 0)) or increase({selector}[{window}])";
    }
}
