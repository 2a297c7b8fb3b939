using System.Diagnostics;
using System.Globalization;

namespace PerfOtel.Benchmarks;

/// <summary>
/// <c>-- --interleaved [LABEL_SETS]</c>: the recording benchmarks run in one process in alternating blocks, so a
/// neighbour's load hits every variant alike. On a shared 2-core machine BenchmarkDotNet's per-benchmark processes
/// see different interference and their ratios scatter; this gives a ratio that survives it (medians of 20 rounds).
/// </summary>
public static class InterleavedComparison
{
    private const int Rounds = 25;
    private const int WarmupRounds = 5;
    private const int CallsPerBlock = 200_000;

    public static void Run(int labelSets, TextWriter output)
    {
        using var b = new RecordingBenchmarks { LabelSets = labelSets };
        b.Setup();
        (string Category, string Variant, Action Call)[] variants =
        [
            ("LlmCall", "PerfOtel", b.LlmCall_PerfOtel), ("LlmCall", "RawOtel", b.LlmCall_RawOtel), ("LlmCall", "PrometheusNet", b.LlmCall_PrometheusNet),
            ("FailedLlmCall", "PerfOtel", b.FailedLlmCall_PerfOtel), ("FailedLlmCall", "RawOtel", b.FailedLlmCall_RawOtel), ("FailedLlmCall", "PrometheusNet", b.FailedLlmCall_PrometheusNet),
            ("Run", "PerfOtel", b.Run_PerfOtel), ("Run", "RawOtel", b.Run_RawOtel), ("Run", "PrometheusNet", b.Run_PrometheusNet),
        ];
        var samples = variants.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                var call = variants[v].Call;
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < CallsPerBlock; i++)
                {
                    call();
                }

                if (round >= WarmupRounds)
                {
                    samples[v].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / CallsPerBlock);
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"interleaved, {labelSets} label sets, median of {Rounds - WarmupRounds} blocks of {CallsPerBlock:N0} calls"));
        output.WriteLine("| Category | Variant | Median ns/op | Min ns/op | vs RawOtel (median) |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: |");
        for (var v = 0; v < variants.Length; v++)
        {
            var raw = Median(samples[Array.FindIndex(variants, x => x.Category == variants[v].Category && x.Variant == "RawOtel")]);
            var median = Median(samples[v]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[v].Category} | {variants[v].Variant} | {median:F0} | {samples[v].Min():F0} | {median / raw:F2}x |"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
