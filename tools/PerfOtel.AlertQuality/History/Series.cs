namespace PerfOtel.AlertQuality.History;

/// <summary>
/// When a scrape target answers: <see cref="Up"/> per step, and <see cref="Epoch"/>, the process restarts so far
/// (a new epoch starts every counter again from zero, as a restarted collector does).
/// </summary>
internal sealed class Availability
{
    private readonly bool restartsCounters;

    /// <param name="steps">Steps of the history.</param>
    /// <param name="restartsCounters">
    /// Whether the target's counters start again from zero after it was down: yes for the collector (a new process),
    /// no for node_exporter (it reads the kernel's counters).
    /// </param>
    public Availability(int steps, bool restartsCounters = true)
    {
        this.restartsCounters = restartsCounters;
        Up = new bool[steps];
        Epoch = new int[steps];
        Array.Fill(Up, true);
    }

    public bool[] Up { get; }

    public int[] Epoch { get; }

    /// <summary>Marks steps down; the first step up after them is a restart.</summary>
    public void Down(int from, int to)
    {
        for (var k = from; k <= to && k < Up.Length; k++)
        {
            Up[k] = false;
        }

        var epoch = 0;
        for (var k = 0; k < Up.Length; k++)
        {
            if (restartsCounters && k > 0 && Up[k] && !Up[k - 1])
            {
                epoch++;
            }

            Epoch[k] = epoch;
        }
    }
}

/// <summary>One series of the history, written by <see cref="OpenMetricsWriter"/>.</summary>
internal abstract class SeriesData(string labels, Availability availability)
{
    /// <summary>The label pairs inside the braces, without <c>le</c>.</summary>
    public string Labels { get; } = labels;

    public Availability Availability { get; } = availability;

    /// <summary>Series (bucket series included) this stands for.</summary>
    public abstract int SeriesCount { get; }

    public abstract void Write(OpenMetricsWriter writer, string family);
}

/// <summary>A counter: events per step; cumulative from zero in each epoch of its target.</summary>
internal sealed class CounterData(string labels, Availability availability, int steps, bool bornAtStart) : SeriesData(labels, availability)
{
    /// <summary>Increment in the step ending at k (step 0 is the first scrape and carries nothing).</summary>
    public double[] Increments { get; } = new double[steps];

    public override int SeriesCount => 1;

    public override void Write(OpenMetricsWriter writer, string family)
    {
        var prefix = OpenMetricsWriter.Prefix(family + "_total", Labels);
        double total = 0;
        var born = bornAtStart;
        var epoch = -1;
        for (var k = 0; k < Increments.Length; k++)
        {
            if (!Availability.Up[k])
            {
                continue;
            }

            if (Availability.Epoch[k] != epoch)
            {
                // A (re)started process: counters from zero, OTel series only after their first measurement.
                epoch = Availability.Epoch[k];
                total = 0;
                born = bornAtStart;
            }

            total += Increments[k];
            born |= Increments[k] > 0;
            if (born)
            {
                writer.Sample(prefix, total, k);
            }
        }
    }
}

/// <summary>A gauge: its value per step (NaN: not exposed).</summary>
internal sealed class GaugeData : SeriesData
{
    public GaugeData(string labels, Availability availability, int steps)
        : base(labels, availability)
    {
        Values = new double[steps];
        Array.Fill(Values, double.NaN);
    }

    public double[] Values { get; }

    public override int SeriesCount => 1;

    public override void Write(OpenMetricsWriter writer, string family)
    {
        var prefix = OpenMetricsWriter.Prefix(family, Labels);
        for (var k = 0; k < Values.Length; k++)
        {
            if (Availability.Up[k] && !double.IsNaN(Values[k]))
            {
                writer.Sample(prefix, Values[k], k);
            }
        }
    }
}

/// <summary>
/// A histogram series set (every bucket, <c>_count</c>, <c>_sum</c>), as the OTel Prometheus exporter exposes it:
/// cumulative buckets with <c>le</c> in OpenMetrics float format, the set absent until its first observation in
/// each epoch.
/// </summary>
internal sealed class HistogramData : SeriesData
{
    private readonly double[] bounds;

    public HistogramData(string labels, Availability availability, int steps, double[] bounds)
        : base(labels, availability)
    {
        this.bounds = bounds;
        Counts = new int[bounds.Length + 1][];
        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] = new int[steps];
        }

        Sums = new double[steps];
        Total = new int[steps];
    }

    /// <summary>Observations per step in each bucket (not cumulative; the last index is above every bound).</summary>
    public int[][] Counts { get; }

    public double[] Sums { get; }

    public int[] Total { get; }

    public override int SeriesCount => bounds.Length + 3;

    public void Observe(int k, double value)
    {
        var i = Array.BinarySearch(bounds, value);
        i = i >= 0 ? i : ~i; // first bound >= value: le is inclusive
        Counts[i][k]++;
        Total[k]++;
        Sums[k] += value;
    }

    public override void Write(OpenMetricsWriter writer, string family)
    {
        var present = Presence();
        var cumulative = new double[Total.Length];
        for (var b = 0; b <= bounds.Length; b++)
        {
            var le = b < bounds.Length ? OpenMetricsWriter.FormatLe(bounds[b]) : "+Inf";
            for (var k = 0; k < cumulative.Length; k++)
            {
                cumulative[k] += Counts[b][k];
            }

            WriteCumulative(writer, OpenMetricsWriter.Prefix(family + "_bucket", $"{Labels},le=\"{le}\""), cumulative, present);
        }

        WriteCumulative(writer, OpenMetricsWriter.Prefix(family + "_count", Labels), Array.ConvertAll(Total, c => (double)c), present);
        WriteCumulative(writer, OpenMetricsWriter.Prefix(family + "_sum", Labels), Sums, present);
    }

    private bool[] Presence()
    {
        var present = new bool[Total.Length];
        var born = false;
        var epoch = -1;
        for (var k = 0; k < Total.Length; k++)
        {
            if (!Availability.Up[k])
            {
                continue;
            }

            if (Availability.Epoch[k] != epoch)
            {
                epoch = Availability.Epoch[k];
                born = false;
            }

            born |= Total[k] > 0;
            present[k] = born;
        }

        return present;
    }

    private void WriteCumulative(OpenMetricsWriter writer, byte[] prefix, double[] increments, bool[] present)
    {
        double total = 0;
        var epoch = -1;
        for (var k = 0; k < increments.Length; k++)
        {
            if (!Availability.Up[k])
            {
                continue;
            }

            if (Availability.Epoch[k] != epoch)
            {
                epoch = Availability.Epoch[k];
                total = 0;
            }

            total += increments[k];
            if (present[k])
            {
                writer.Sample(prefix, total, k);
            }
        }
    }
}

/// <summary>A metric family: TYPE (and UNIT) line, then every series in full (series, then time).</summary>
internal sealed class MetricFamily(string name, string type, string file, string? unit = null)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public string? Unit { get; } = unit;

    /// <summary>The backfill input file the family goes to (files are converted in parallel).</summary>
    public string File { get; } = file;

    public List<SeriesData> Series { get; } = [];

    public T Add<T>(T series)
        where T : SeriesData
    {
        Series.Add(series);
        return series;
    }
}
