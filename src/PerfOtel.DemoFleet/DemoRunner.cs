using System.Diagnostics;
using System.Globalization;
using PerfOtel.DemoFleet.Fleet;
using PerfOtel.DemoFleet.Health;
using PerfOtel.DemoFleet.Incidents;
using PerfOtel.DemoFleet.Ingest;

namespace PerfOtel.DemoFleet;

/// <summary>
/// The fleet's loop: every tick, the events of the time that passed go to the collector in batches of at most
/// <see cref="IngestClient.MaxEventsPerBatch"/>. Ends at <see cref="DemoSettings.Duration"/>, on cancellation
/// (Ctrl-C, SIGTERM) or when the collector refuses the key.
/// </summary>
public static class DemoRunner
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;

    private static readonly TimeSpan KeyFileWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SummaryEvery = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(DemoSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var key = settings.ApiKey ?? await ReadKeyFileAsync(settings.ApiKeyFile!, log, cancellationToken);
        if (key is null)
        {
            return cancellationToken.IsCancellationRequested ? ExitOk : ExitFailed;
        }

        var health = new ComponentHealth();
        HealthServer? started = null;
        try
        {
            started = settings.Listen is null ? null : await HealthServer.StartAsync(settings.Listen, health, cancellationToken);
        }
        catch (IOException e)
        {
            // Kestrel reports a port in use as an IOException: say so instead of a stack trace.
            Log(log, $"cannot listen on {settings.Listen}: {e.Message}");
            return ExitFailed;
        }

        await using var server = started;
        using var client = new IngestClient(settings.CollectorUrl, key);
        var cycle = new DailyCycle(settings.DayLength, settings.StartHour, settings.NightShare);
        var generator = new TrafficGenerator(settings.RunsPerMinute, settings.Seed is { } seed ? new Random(seed) : new Random());

        Log(log, $"sending to {settings.CollectorUrl}v1/events every {DurationText.Format(settings.Tick)}: {settings.RunsPerMinute.ToString(CultureInfo.InvariantCulture)} runs/min at the peak, "
            + $"a day lasts {DurationText.Format(settings.DayLength)}, incidents: {settings.Incidents}"
            + (settings.Duration is { } d ? $", for {DurationText.Format(d)}" : ", until Ctrl-C"));
        if (server is not null)
        {
            Log(log, $"health endpoints: {server.Address.ToString().TrimEnd('/')}/components/{{{string.Join(',', health.Components)}}}/health");
        }

        var stats = new Stats();
        var clock = Stopwatch.StartNew();
        var previous = TimeSpan.Zero;
        var nextSummary = SummaryEvery;
        Incident? current = null;
        using var timer = new PeriodicTimer(settings.Tick);
        try
        {
            while (settings.Duration is not { } limit || clock.Elapsed < limit)
            {
                var now = clock.Elapsed;
                // The time since the last batch (a slow send does not lose traffic), capped so a stall is no burst.
                var dt = now == TimeSpan.Zero ? settings.Tick : Min(now - previous, settings.Tick * 5);
                previous = now;

                var incident = settings.Incidents.ActiveAt(now);
                if (incident != current)
                {
                    Log(log, incident is null ? $"incident over: {current!.Kind.Name()}" : $"incident: {incident.Kind.Name()} for {DurationText.Format(incident.Length)} ({Target(incident.Kind)})");
                    health.SetDown(incident?.Kind == IncidentKind.ComponentDown ? FleetModel.Targets.DownComponent : null);
                    current = incident;
                }

                var events = generator.Tick(dt, cycle.ActivityAt(now), incident?.Kind);
                for (var i = 0; i < events.Count; i += IngestClient.MaxEventsPerBatch)
                {
                    var chunk = events.GetRange(i, Math.Min(IngestClient.MaxEventsPerBatch, events.Count - i));
                    var outcome = await client.SendAsync(chunk, cancellationToken);
                    stats.Count(outcome, chunk.Count);
                    if (outcome == SendOutcome.Unauthorized)
                    {
                        Log(log, $"the collector refused the API key ({client.LastError}); stopping");
                        return ExitFailed;
                    }

                    if (outcome != SendOutcome.Accepted && stats.ShouldReport(outcome))
                    {
                        Log(log, $"batch {outcome.ToString().ToLowerInvariant()}: {client.LastError}");
                    }
                }

                if (clock.Elapsed >= nextSummary)
                {
                    nextSummary += SummaryEvery;
                    Log(log, $"{stats} (simulated hour {cycle.HourAt(clock.Elapsed):00.0}, activity {cycle.ActivityAt(clock.Elapsed):P0})");
                }

                if (!await timer.WaitForNextTickAsync(cancellationToken))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Log(log, $"stopped: {stats}");
        return stats.AcceptedBatches > 0 || stats.Batches == 0 ? ExitOk : ExitFailed;
    }

    private static async Task<string?> ReadKeyFileAsync(string path, TextWriter log, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + KeyFileWait;
        var waiting = false;
        while (true)
        {
            try
            {
                var key = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
                if (key.Length > 0)
                {
                    return key;
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
            catch (UnauthorizedAccessException e)
            {
                Log(log, $"cannot read the API key file {path}: {e.Message}");
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Log(log, $"the API key file {path} is missing or empty after {KeyFileWait.TotalSeconds:0} s");
                return null;
            }

            if (!waiting)
            {
                Log(log, $"waiting for the API key file {path}");
                waiting = true;
            }

            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private static string Target(IncidentKind kind) => kind switch
    {
        IncidentKind.ErrorSpike => $"model {FleetModel.Targets.ErrorSpikeModel.Provider}/{FleetModel.Targets.ErrorSpikeModel.Model}",
        IncidentKind.SlowPhase => $"team {FleetModel.Targets.SlowPhaseTeam}, phase {FleetModel.Targets.SlowPhase}",
        IncidentKind.CostSpike => $"agent {FleetModel.Targets.CostSpikeAgent} on {FleetModel.Targets.CostSpikeModel.Model}",
        IncidentKind.ComponentDown => $"component {FleetModel.Targets.DownComponent}",
        IncidentKind.QueueStarvation => $"queue {FleetModel.Targets.StarvedQueue}",
        _ => "",
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static void Log(TextWriter log, string message) =>
        log.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} demo-fleet: {message}");

    private sealed class Stats
    {
        private readonly Dictionary<SendOutcome, int> reported = [];

        public long Batches { get; private set; }

        public long AcceptedBatches { get; private set; }

        public long AcceptedEvents { get; private set; }

        public long DroppedEvents { get; private set; }

        public void Count(SendOutcome outcome, int events)
        {
            Batches++;
            if (outcome == SendOutcome.Accepted)
            {
                AcceptedBatches++;
                AcceptedEvents += events;
            }
            else
            {
                DroppedEvents += events;
            }
        }

        /// <summary>The first few failures of each kind are logged, then one in a hundred: a down collector does not flood the log.</summary>
        public bool ShouldReport(SendOutcome outcome)
        {
            var n = reported[outcome] = reported.GetValueOrDefault(outcome) + 1;
            return n <= 3 || n % 100 == 0;
        }

        public override string ToString() =>
            $"{AcceptedEvents} events accepted in {AcceptedBatches} of {Batches} batches, {DroppedEvents} dropped";
    }
}
