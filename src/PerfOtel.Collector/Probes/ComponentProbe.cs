using System.Diagnostics;

namespace PerfOtel.Collector.Probes;

/// <summary>
/// One check of one component, bounded by a timeout. <see cref="RunAsync"/> never throws for a failed component:
/// a refused connection, a wrong status or no answer in time is a result (down), not an error of the collector.
/// </summary>
public abstract class ComponentProbe(string name, string kind, double weight)
{
    /// <summary>The configured name: the <c>component</c> label.</summary>
    public string Name { get; } = name;

    /// <summary><see cref="ProbeKinds.Http"/> or <see cref="ProbeKinds.Tcp"/>: the <c>probe.kind</c> label.</summary>
    public string Kind { get; } = kind;

    public double Weight { get; } = weight;

    /// <summary>Probes once. Throws only <see cref="OperationCanceledException"/>, when <paramref name="stopping"/> fires.</summary>
    public async Task<ProbeResult> RunAsync(TimeSpan timeout, CancellationToken stopping)
    {
        var start = Stopwatch.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cts.CancelAfter(timeout);
        string? failure;
        try
        {
            // WaitAsync is the hard bound: a check that ignores its token (a stuck name lookup, say) is abandoned
            // here instead of holding this component's loop. CheckGuardedAsync never faults, so nothing goes unobserved.
            failure = await CheckGuardedAsync(timeout, cts.Token).WaitAsync(timeout, stopping);
        }
        catch (TimeoutException)
        {
            failure = TimedOut(timeout);
        }

        // A check cancelled by the stop is no result: it must not be recorded as a down component.
        stopping.ThrowIfCancellationRequested();
        var elapsed = Stopwatch.GetElapsedTime(start);
        return failure is null ? ProbeResult.Success(elapsed) : ProbeResult.Failed(elapsed, failure);
    }

    /// <summary>Checks the component once; returns null when it is up, else why it is down. May throw.</summary>
    protected abstract Task<string?> CheckAsync(CancellationToken cancellationToken);

    private async Task<string?> CheckGuardedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await CheckAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Our timeout, or HttpClient.Timeout (the same value). A stop is told apart by RunAsync.
            return TimedOut(timeout);
        }
        catch (Exception e)
        {
            return e is HttpRequestException { InnerException: { } inner } && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? $"{e.Message} {inner.Message}"
                : e.Message;
        }
    }

    private static string TimedOut(TimeSpan timeout) => $"no answer within {timeout.TotalSeconds:0.###} s";
}
