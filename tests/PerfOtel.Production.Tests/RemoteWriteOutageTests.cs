using System.Globalization;
using PerfOtel.Production.Tests.Fixture;

namespace PerfOtel.Production.Tests;

/// <summary>The long-term store goes away for a minute; Prometheus' WAL covers it and remote_write catches up.</summary>
[Collection(SharedStack.Name)]
public sealed class RemoteWriteOutageTests(ProductionStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task VictoriaMetrics_down_for_a_minute_leaves_no_gap_once_remote_write_catches_up()
    {
        using var traffic = new CancellationTokenSource();
        var sent = 0;
        var sender = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
            {
                await stack.PostEventsAsync("""{"events":[{"type":"run","agent":"outage-agent","outcome":"success","duration_seconds":3}]}""");
                Interlocked.Increment(ref sent);
                try { await Task.Delay(1000, traffic.Token); } catch (OperationCanceledException) { }
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(5));
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stack.StopAsync("victoriametrics");
        var down = DateTimeOffset.UtcNow;
        await Task.Delay(Outage);
        stack.StartVictoriaMetrics();
        var back = DateTimeOffset.UtcNow;
        await stack.WaitHealthyAsync(stack.VictoriaMetrics, "/health", "victoriametrics", TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(5));
        await traffic.CancelAsync();
        await sender;
        var to = DateTimeOffset.UtcNow;

        // Caught up: the run counter in the store equals what was sent (once, not once per replica).
        const string runs = "sum(agent_run_duration_seconds_count{gen_ai_agent_name=\"outage-agent\"})";
        await Poll.UntilAsync(async () => await stack.VictoriaMetrics.ScalarAsync(runs) == sent, TimeSpan.FromSeconds(120),
            () => $"VictoriaMetrics has not caught up: {runs} != {sent}");
        var caughtUp = DateTimeOffset.UtcNow - back;

        // Every scrape of the window is there, once: one sample per scrape interval (1 s), no hole.
        var window = (int)Math.Floor((to - from).TotalSeconds);
        var samples = (await stack.VictoriaMetrics.QueryAsync($"up{{job=\"perfotel-collector\"}}[{window}s]", to))
            .Single().GetProperty("values").EnumerateArray().Select(v => v[0].GetDouble()).Order().ToList();
        var gaps = samples.Zip(samples.Skip(1), (a, b) => b - a).ToList();
        var maxGap = gaps.Max();
        var retried = 0.0;
        foreach (var prom in stack.Prometheus)
        {
            retried += await prom.ScalarAsync("sum(prometheus_remote_storage_samples_retried_total) or sum(prometheus_remote_storage_retried_samples_total)") ?? 0;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outage {(back - down).TotalSeconds:0} s; runs sent {sent}, in VictoriaMetrics {sent}; caught up {caughtUp.TotalSeconds:0.0} s after VictoriaMetrics returned; " +
            $"{samples.Count} samples of up over {window} s, largest gap {maxGap:0.0} s; samples retried by the replicas {retried}"));
        Assert.True(maxGap <= 5, $"gap of {maxGap:0.0} s in up{{job=\"perfotel-collector\"}} between {from:O} and {to:O}");
        // Deduplicated: about one sample per second, not one per replica per second.
        Assert.InRange(samples.Count, window * 0.7, window * 1.3);
    }
}
