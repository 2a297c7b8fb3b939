using System.Globalization;

namespace PerfOtel.AlertQuality.Prometheus;

/// <summary><c>promtool tsdb create-blocks-from ...</c>: history and recorded series into TSDB blocks.</summary>
internal static class Promtool
{
    /// <summary>
    /// One block per input file spanning its whole time range (the default of 2-hour blocks re-reads the input once
    /// per block); files are converted in parallel, one promtool per core. Blocks of different files overlap in
    /// time with disjoint series, which Prometheus merges.
    /// </summary>
    public static async Task FromOpenMetricsAsync(IReadOnlyList<string> inputs, string dataFolder, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        var runs = inputs.Select(async input =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var (exit, output) = await Tool.RunAsync(
                    "promtool",
                    ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=100000h", "--quiet", input, dataFolder],
                    Path.GetDirectoryName(input)!,
                    TimeSpan.FromMinutes(60),
                    cancellationToken);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"promtool create-blocks-from openmetrics {Path.GetFileName(input)} failed ({exit}):\n{Tail(output)}");
                }
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(runs);
    }

    /// <summary>
    /// <c>promtool tsdb create-blocks-from rules</c>: evaluates the recording rules of <paramref name="ruleFile"/>
    /// through <paramref name="prometheusUrl"/>' query API and writes one block per rule and 2 hours.
    /// </summary>
    public static async Task FromRulesAsync(string ruleFile, long start, long end, Uri prometheusUrl, int evalIntervalSeconds, string outputFolder, CancellationToken cancellationToken)
    {
        var (exit, output) = await Tool.RunAsync(
            "promtool",
            [
                "tsdb", "create-blocks-from", "rules", "--quiet",
                "--start=" + start.ToString(CultureInfo.InvariantCulture),
                "--end=" + end.ToString(CultureInfo.InvariantCulture),
                "--url=" + prometheusUrl.ToString().TrimEnd('/'),
                "--eval-interval=" + evalIntervalSeconds.ToString(CultureInfo.InvariantCulture) + "s",
                "--output-dir=" + outputFolder,
                ruleFile,
            ],
            Path.GetDirectoryName(ruleFile)!,
            TimeSpan.FromHours(3),
            cancellationToken);
        if (exit != 0 || output.Contains("level=error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"promtool create-blocks-from rules {Path.GetFileName(ruleFile)} failed ({exit}):\n{Tail(output)}");
        }
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
