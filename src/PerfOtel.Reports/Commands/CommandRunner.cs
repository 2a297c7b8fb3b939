using PerfOtel.Reports.Prometheus;

namespace PerfOtel.Reports.Commands;

/// <summary>
/// Runs a command's work and turns every failure into one line on stderr and an <see cref="ExitCodes"/> value:
/// the reports job runs unattended, its log must say what went wrong without a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliContext context, Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(cancellationToken);
        }
        catch (ReportFailure failure)
        {
            return Fail(context, failure.ExitCode, failure.Message);
        }
        catch (PrometheusUnreachableException e)
        {
            return Fail(context, ExitCodes.PrometheusUnreachable, e.Message);
        }
        catch (PrometheusErrorException e)
        {
            return Fail(context, ExitCodes.PrometheusError, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(context, ExitCodes.Cancelled, "cancelled");
        }
        catch (Exception e)
        {
            return Fail(context, ExitCodes.Unexpected, $"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    public static int Fail(CliContext context, int exitCode, string message)
    {
        context.Error.WriteLine($"{ReportsCli.Name}: error: {OneLine(message)}");
        return exitCode;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
