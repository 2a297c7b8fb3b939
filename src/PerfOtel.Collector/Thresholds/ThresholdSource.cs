using System.Diagnostics.Metrics;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Collector.Thresholds;

/// <summary>
/// The thresholds in force, exposed as the gauge <c>perfotel.alert.threshold</c> (meter <c>PerfOtel.Thresholds</c>).
/// Read from <c>PerfOtel:Thresholds:File</c> when set (else the built-in defaults) and reloaded when the file changes;
/// a bad file is logged and rejected, and the last good thresholds stay in force.
/// </summary>
public sealed partial class ThresholdSource : IDisposable
{
    public const string MeterName = "PerfOtel.Thresholds";

    private readonly ILogger<ThresholdSource> logger;
    private readonly FileChangeWatcher? watcher;
    private readonly Lock reloadLock = new();
    private IReadOnlyList<ThresholdValue> current;

    public ThresholdSource(IConfiguration configuration, IMeterFactory meterFactory, ILogger<ThresholdSource> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.logger = logger;
        var file = configuration["PerfOtel:Thresholds:File"];
        if (file is null)
        {
            current = [.. ThresholdCatalog.Defaults.Select(kv => new ThresholdValue(kv.Key, null, kv.Value))];
        }
        else
        {
            FilePath = Path.GetFullPath(file);
            current = ThresholdsParser.Parse(File.ReadAllBytes(FilePath), FilePath);
            watcher = new FileChangeWatcher(FilePath, TimeSpan.FromMilliseconds(300), () => Reload());
        }

        LogLoaded(logger, FilePath ?? "built-in defaults", current.Count);
        meterFactory.Create(MeterName).CreateObservableGauge(
            "perfotel.alert.threshold",
            Observe,
            unit: null,
            description: "Alert thresholds in force (thresholds file): fleet default without gen_ai_agent_name, per-agent overrides with it.");
    }

    public string? FilePath { get; }

    public IReadOnlyList<ThresholdValue> Current => Volatile.Read(ref current);

    /// <summary>Reads the file again; a bad file keeps the thresholds in force. True when it was accepted.</summary>
    public bool Reload()
    {
        if (FilePath is null)
        {
            return false;
        }

        lock (reloadLock)
        {
            try
            {
                var next = ThresholdsParser.Parse(File.ReadAllBytes(FilePath), FilePath);
                Volatile.Write(ref current, next);
                LogLoaded(logger, FilePath, next.Count);
                return true;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                LogRejected(logger, FilePath, e.Message);
                return false;
            }
        }
    }

    public void Dispose() => watcher?.Dispose();

    private IEnumerable<Measurement<double>> Observe()
    {
        foreach (var t in Current)
        {
            yield return t.Agent is null
                ? new Measurement<double>(t.Value, new KeyValuePair<string, object?>("threshold", t.Name))
                : new Measurement<double>(t.Value, new KeyValuePair<string, object?>("threshold", t.Name), new KeyValuePair<string, object?>("gen_ai.agent.name", t.Agent));
        }
    }

    [LoggerMessage(200, LogLevel.Information, "Alert thresholds loaded from {Source}: {Count} values")]
    private static partial void LogLoaded(ILogger logger, string source, int count);

    [LoggerMessage(201, LogLevel.Error, "Alert thresholds file {Path} rejected, the previous thresholds stay in force: {Problem}")]
    private static partial void LogRejected(ILogger logger, string path, string problem);
}
