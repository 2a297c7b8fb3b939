namespace PerfOtel.Collector;

/// <summary>Source-generated log messages of the collector.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "No API key is configured: ingest answers 401 to every request. Set PerfOtel:Ingest:ApiKeys or PerfOtel:Ingest:GeneratedKeyFile.")]
    public static partial void NoApiKeys(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Generated a new ingest API key in {Path}")]
    public static partial void GeneratedApiKey(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Information, "Rejected batch from {Source}: {Reason}")]
    public static partial void BatchRejected(ILogger logger, string source, string reason);

    [LoggerMessage(4, LogLevel.Information, "Alert {Status}: {AlertName} severity={Severity} receiver={Receiver}")]
    public static partial void AlertNotification(ILogger logger, string status, string alertName, string severity, string receiver);
}
