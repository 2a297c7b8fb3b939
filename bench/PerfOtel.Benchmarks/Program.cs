using System.Globalization;
using BenchmarkDotNet.Running;

namespace PerfOtel.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/PerfOtel.Benchmarks -- --filter '*'</c> (BenchmarkDotNet), or
/// <c>-- --interleaved [LABEL_SETS]</c>; see docs/PERFORMANCE.md. Not a top-level program: the referenced collector's
/// <c>Program</c> lives in the global namespace.
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["--interleaved", .. var rest])
        {
            InterleavedComparison.Run(rest is [var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 512, Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
