namespace PerfOtel.Collector.Observability;

/// <summary>Why a batch was refused; the <c>reason</c> label of <c>perfotel.ingest.rejected_batches</c>.</summary>
public enum RejectReason
{
    Unauthorized,
    Malformed,
    Invalid,
    TooLarge,
    RateLimited,
}
