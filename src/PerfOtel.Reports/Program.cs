using System.Runtime.InteropServices;
using PerfOtel.Reports;

// SIGINT (Ctrl+C) and SIGTERM (a scheduler stopping the job) cancel the running queries instead of killing the
// process, so the command ends through its own error path: one line, ExitCodes.Cancelled, no temporary file.
using var cancellation = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

return await ReportsCli.RunAsync(args, CliContext.FromProcess(), cancellation.Token);

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = true;
    cancellation.Cancel();
}
