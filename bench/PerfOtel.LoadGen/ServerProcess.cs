using System.Globalization;

namespace PerfOtel.LoadGen;

/// <summary>CPU time and memory of the server process, read from <c>/proc</c> (Linux).</summary>
public sealed class ServerProcess(int pid)
{
    /// <summary>Kernel clock ticks per second for <c>/proc/PID/stat</c> times (USER_HZ, 100 on Linux).</summary>
    private const double ClockTicksPerSecond = 100;

    public int Pid => pid;

    /// <summary>User + system CPU time of the whole process (all threads), in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>A field of <c>/proc/PID/status</c> in kB (e.g. VmRSS, VmHWM), or -1 when absent.</summary>
    public long StatusKb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
