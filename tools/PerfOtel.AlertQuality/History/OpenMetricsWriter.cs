using System.Globalization;
using System.Text;

namespace PerfOtel.AlertQuality.History;

/// <summary>
/// Writes <c>promtool tsdb create-blocks-from openmetrics</c> input: each family's TYPE line and then its series,
/// each in time order; timestamps in seconds; <c># EOF</c> at the end. Bytes straight to the stream: a full-size
/// history is tens of millions of lines.
/// </summary>
internal sealed class OpenMetricsWriter : IDisposable
{
    private readonly Stream output;
    private readonly byte[][] timestamps;
    private readonly byte[] buffer = new byte[1 << 20];
    private int used;

    public OpenMetricsWriter(Stream output, Func<int, long> timeAt, int steps)
    {
        this.output = output;
        timestamps = new byte[steps][];
        for (var k = 0; k < steps; k++)
        {
            timestamps[k] = Encoding.ASCII.GetBytes(" " + timeAt(k).ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }

    public long Samples { get; private set; }

    /// <summary>OpenMetrics float format of a bucket bound: 60 is "60.0", 0.01 stays "0.01".</summary>
    public static string FormatLe(double bound)
    {
        var text = bound.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    public void Family(MetricFamily family)
    {
        WriteText($"# TYPE {family.Name} {family.Type}\n");
        if (family.Unit is not null)
        {
            WriteText($"# UNIT {family.Name} {family.Unit}\n");
        }

        foreach (var series in family.Series)
        {
            series.Write(this, family.Name);
        }
    }

    /// <summary>Writes arbitrary text (a family of recorded series, comments).</summary>
    public void WriteText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Reserve(bytes.Length);
        bytes.CopyTo(buffer, used);
        used += bytes.Length;
    }

    public static byte[] Prefix(string name, string labels) => Encoding.UTF8.GetBytes(labels.Length == 0 ? name + " " : $"{name}{{{labels}}} ");

    public void Sample(byte[] prefix, double value, int step)
    {
        var ts = timestamps[step];
        Reserve(prefix.Length + 32 + ts.Length);
        prefix.CopyTo(buffer, used);
        used += prefix.Length;
        used += FormatValue(value, buffer.AsSpan(used));
        ts.CopyTo(buffer, used);
        used += ts.Length;
        Samples++;
    }

    /// <summary>A sample at an arbitrary unix time (recorded series evaluated at their own interval).</summary>
    public void SampleAt(byte[] prefix, double value, long unixSeconds)
    {
        Reserve(prefix.Length + 64);
        prefix.CopyTo(buffer, used);
        used += prefix.Length;
        used += FormatValue(value, buffer.AsSpan(used));
        buffer[used++] = (byte)' ';
        unixSeconds.TryFormat(buffer.AsSpan(used), out var n, default, CultureInfo.InvariantCulture);
        used += n;
        buffer[used++] = (byte)'\n';
        Samples++;
    }

    public void End()
    {
        WriteText("# EOF\n");
        Flush();
    }

    public void Flush()
    {
        output.Write(buffer, 0, used);
        used = 0;
        output.Flush();
    }

    public void Dispose() => Flush();

    private static int FormatValue(double value, Span<byte> destination)
    {
        ReadOnlySpan<byte> special = double.IsNaN(value) ? "NaN"u8 : double.IsPositiveInfinity(value) ? "+Inf"u8 : double.IsNegativeInfinity(value) ? "-Inf"u8 : default;
        if (!special.IsEmpty)
        {
            special.CopyTo(destination);
            return special.Length;
        }

        value.TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    private void Reserve(int bytes)
    {
        if (used + bytes > buffer.Length)
        {
            output.Write(buffer, 0, used);
            used = 0;
        }

        if (bytes > buffer.Length)
        {
            throw new InvalidOperationException("line longer than the write buffer");
        }
    }
}
