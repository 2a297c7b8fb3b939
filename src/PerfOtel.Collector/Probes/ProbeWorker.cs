using Microsoft.Extensions.Options;

namespace PerfOtel.Collector.Probes;

/// <summary>
/// Probes every configured component on its own loop (a <see cref="PeriodicTimer"/> each), so a slow or hanging
/// component delays nobody else, and nothing here is on the request path: ingest never waits for a probe.
/// </summary>
public sealed class ProbeWorker : BackgroundService
{
    private readonly ProbeOptions options;
    private readonly ProbeMetrics metrics;
    private readonly ILogger<ProbeWorker> logger;
    private readonly ProbeState[] states;

    public ProbeWorker(IOptions<ProbeOptions> options, IHttpClientFactory clients, ProbeMetrics metrics, ILogger<ProbeWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(metrics);
        this.options = options.Value;
        this.metrics = metrics;
        this.logger = logger;
        states = new ProbeState[this.options.Components.Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = new ProbeState(CreateProbe(this.options.Components[i], clients));
            metrics.Track(states[i]);
        }
    }

    /// <summary>The components' latest states, in configuration order.</summary>
    public IReadOnlyList<ProbeState> States => states;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ProbeLog.Started(logger, states.Length, options.IntervalSeconds, options.TimeoutSeconds);
        var loops = new Task[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            loops[i] = ProbeLoopAsync(states[i], stoppingToken);
        }

        return Task.WhenAll(loops);
    }

    private async Task ProbeLoopAsync(ProbeState state, CancellationToken stopping)
    {
        // Leave the caller at once: no component's first probe runs on another's (or the host's) thread.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Interval);
        try
        {
            do
            {
                try
                {
                    ProbeOnce(state, await state.Probe.RunAsync(options.Timeout, stopping));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Monitoring must not take down what it monitors: a bug here costs one probe, not the host.
                    ProbeLog.LoopFailed(logger, e, state.Probe.Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void ProbeOnce(ProbeState state, ProbeResult result)
    {
        var before = state.Latest;
        metrics.RecordDuration(state, result.Duration);
        if (!state.Apply(result))
        {
            return;
        }

        if (result.Up)
        {
            ProbeLog.ComponentUp(logger, state.Probe.Name, state.Probe.Kind, before?.ConsecutiveFailures ?? 0);
        }
        else
        {
            ProbeLog.ComponentDown(logger, state.Probe.Name, state.Probe.Kind, result.Failure);
        }
    }

    private static ComponentProbe CreateProbe(ComponentProbeOptions c, IHttpClientFactory clients) =>
        ProbeKinds.Normalize(c.Kind) switch
        {
            ProbeKinds.Http => new HttpProbe(c.Name, c.Weight, new Uri(c.Url!, UriKind.Absolute), c.ExpectedStatus, clients),
            ProbeKinds.Tcp => new TcpProbe(c.Name, c.Weight, c.Host!, c.Port!.Value),
            _ => throw new InvalidOperationException($"Unknown probe kind '{c.Kind}' of component '{c.Name}'."),
        };
}
