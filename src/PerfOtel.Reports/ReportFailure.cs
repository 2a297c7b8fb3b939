namespace PerfOtel.Reports;

/// <summary>
/// An expected failure of a command: its message is the one line printed on stderr, its exit code one of
/// <see cref="ExitCodes"/>. Anything else that escapes a command is a bug (<see cref="ExitCodes.Unexpected"/>).
/// </summary>
internal sealed class ReportFailure(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
