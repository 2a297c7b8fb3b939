namespace PerfOtel.DemoFleet.Fleet;

/// <summary>
/// Daily seasonality on a clock that may run faster than real time: with <c>DayLength</c> one hour, a whole working
/// day (quiet night, morning and afternoon peaks) passes in an hour of the demo.
/// </summary>
public sealed class DailyCycle
{
    public DailyCycle(TimeSpan dayLength, double startHour, double nightShare)
    {
        if (dayLength <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dayLength), "must be positive");
        }

        if (nightShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(nightShare), "must be between 0 and 1");
        }

        DayLength = dayLength;
        StartHour = ((startHour % 24) + 24) % 24;
        NightShare = nightShare;
    }

    public TimeSpan DayLength { get; }

    public double StartHour { get; }

    /// <summary>Activity at the quietest hour, as a share of the peak.</summary>
    public double NightShare { get; }

    /// <summary>The simulated hour of day (0 ≤ h &lt; 24) after <paramref name="elapsed"/> of real time.</summary>
    public double HourAt(TimeSpan elapsed) => (StartHour + (elapsed / DayLength * 24)) % 24;

    /// <summary>Activity at <paramref name="elapsed"/>, between <see cref="NightShare"/> and 1.</summary>
    public double ActivityAt(TimeSpan elapsed) => Activity(HourAt(elapsed));

    /// <summary>A working day in UTC: a morning peak at 10:30, a larger afternoon peak at 15:00, quiet at night.</summary>
    public double Activity(double hour)
    {
        var day = Math.Max(0.85 * Bell(hour, 10.5, 1.8), Bell(hour, 15, 2.2));
        return NightShare + ((1 - NightShare) * day);
    }

    private static double Bell(double hour, double peak, double width)
    {
        var d = Math.Abs(hour - peak);
        d = Math.Min(d, 24 - d);
        return Math.Exp(-(d * d) / (2 * width * width));
    }
}
