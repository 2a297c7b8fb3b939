using System.Runtime.InteropServices;
using PerfOtel.AlertQuality;

// Ctrl+C and SIGTERM cancel the run: Prometheus is stopped and the temporary folder deleted.
using var cancellation = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

return await AlertQualityCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token);

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = true;
    cancellation.Cancel();
}
