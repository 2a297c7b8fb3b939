using System.Diagnostics;
using System.Globalization;

namespace PerfOtel.LoadGen;

/// <summary>
/// One load generator run: build the batches, send each distinct batch once (the whole label space then exists in
/// the collector), warm up, measure, then optionally time scrapes and read the server's RSS.
/// </summary>
public static class LoadSession
{
    /// <summary>Upper bound of the pre-built request bodies, so that a huge label space cannot exhaust memory.</summary>
    private const long MaxBodyBytesTotal = 256L * 1024 * 1024;

    public static async Task<int> RunAsync(LoadSettings s, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = Loopback.CreateClient(s.Concurrency + 1, TimeSpan.FromSeconds(30));
        var exitCode = 0;
        if (!s.ScrapeOnly)
        {
            var bodies = BuildBodies(s, output);
            var labels = s.Mix.CountLabelSets((long)bodies.Length * s.BatchSize);
            var averageBody = bodies.Average(b => (double)b.Length);
            output.WriteLine(Invariant($"target        {s.Target} (batch {s.BatchSize} events, concurrency {s.Concurrency})"));
            output.WriteLine(Invariant($"payload       {bodies.Length} distinct batches, {averageBody / 1024:F1} KiB each ({averageBody / s.BatchSize:F0} B/event)"));
            output.WriteLine(Invariant($"label space   {s.Mix.Agents} agents x {s.Mix.Models} models: {labels.Total} label sets (operation duration {labels.OperationDuration}, token usage {labels.TokenUsage}, run duration {labels.RunDuration})"));

            var runner = new LoadRunner(client, s.Target, s.ApiKey, bodies);
            var prime = await runner.RunAsync(s.Concurrency, TimeSpan.FromSeconds(LoadGenCommand.MaxDurationSeconds), bodies.Length, cancellationToken);
            if (Failed(prime, "priming", output))
            {
                return 1;
            }

            if (s.Warmup > TimeSpan.Zero)
            {
                var warm = await runner.RunAsync(s.Concurrency, s.Warmup, LoadGenCommand.MaxBatches, cancellationToken);
                if (Failed(warm, "warm-up", output))
                {
                    return 1;
                }
            }

            var serverCpu0 = s.Server?.CpuSeconds();
            var ownCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await runner.RunAsync(s.Concurrency, s.Duration, s.Batches, cancellationToken);
            var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu0).TotalSeconds;
            var seconds = result.Elapsed.TotalSeconds;
            var events = result.Batches * s.BatchSize;
            var l = result.Latencies;
            output.WriteLine(Invariant($"measured      {result.Batches} batches in {seconds:F2} s, {result.Failures} failed"));
            output.WriteLine(Invariant($"throughput    {events / seconds:N0} events/s ({result.Batches / seconds:N1} batches/s, {result.RequestBytes / seconds / 1024 / 1024:F1} MiB/s of request bodies)"));
            output.WriteLine(Invariant($"batch latency p50 {l.PercentileMs(0.50):F2} ms, p90 {l.PercentileMs(0.90):F2} ms, p99 {l.PercentileMs(0.99):F2} ms, max {l.MaxMs:F2} ms (n={l.Count}, exact)"));
            var cpu = Invariant($"cpu           load generator {ownCpu / seconds:F2} cores");
            if (s.Server is { } server && serverCpu0 is { } before)
            {
                var serverCpu = server.CpuSeconds() - before;
                cpu += Invariant($"; server {serverCpu / seconds:F2} cores, {serverCpu / Math.Max(1, events) * 1e6:F2} us CPU per event");
            }

            output.WriteLine(cpu);
            if (Failed(result, "measured phase", output))
            {
                exitCode = 1;
            }
        }

        if (s.Scrapes > 0)
        {
            var scrape = await MetricsScrape.RunAsync(client, s.MetricsUrl, s.Scrapes, s.ScrapeAccept, cancellationToken);
            var t = scrape.Times;
            var c = scrape.Count;
            output.WriteLine(Invariant($"scrape        {s.MetricsUrl} x{t.Count}: min {t.PercentileMs(0):F1} ms, p50 {t.PercentileMs(0.5):F1} ms, max {t.MaxMs:F1} ms"));
            output.WriteLine(Invariant($"exposition    {scrape.Bytes / 1024.0:F0} KiB, {c.Samples} samples (series), {c.HistogramPoints} histogram points ({c.AgentHistogramPoints} agent), {c.OverflowSamples} overflow samples"));
        }

        if (s.Server is { } process)
        {
            output.WriteLine(Invariant($"server memory pid {process.Pid}: VmRSS {process.StatusKb("VmRSS") / 1024.0:F1} MiB, VmHWM {process.StatusKb("VmHWM") / 1024.0:F1} MiB"));
        }

        return exitCode;
    }

    private static byte[][] BuildBodies(LoadSettings s, TextWriter output)
    {
        // Enough distinct batches to cover the label space (at least 8, so requests differ), within the memory bound.
        var needed = Math.Max(8, (s.Mix.CycleEvents + s.BatchSize - 1) / s.BatchSize);
        var affordable = Math.Max(8, MaxBodyBytesTotal / (s.BatchSize * 256L));
        if (needed > affordable)
        {
            output.WriteLine(Invariant($"warning       the label space needs {needed} distinct batches; sending {affordable}, which cover part of it"));
            needed = affordable;
        }

        var bodies = new byte[needed][];
        for (var b = 0; b < bodies.Length; b++)
        {
            bodies[b] = s.Mix.Batch((long)b * s.BatchSize, s.BatchSize);
        }

        return bodies;
    }

    private static bool Failed(LoadResult result, string phase, TextWriter output)
    {
        if (result.Failures == 0)
        {
            return false;
        }

        output.WriteLine($"error         {phase}: {result.Failures} failed batches; first: {result.FirstError}");
        return true;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
