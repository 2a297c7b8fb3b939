namespace PerfOtel.Reports.Prometheus;

/// <summary>Prometheus did not answer: connection refused, unknown host, timeout, connection dropped.</summary>
internal sealed class PrometheusUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Prometheus answered, but with an error or with something that is not a query result.</summary>
internal sealed class PrometheusErrorException(string message, Exception? inner = null) : Exception(message, inner);
