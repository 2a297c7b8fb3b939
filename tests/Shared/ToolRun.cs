using System.Diagnostics;

namespace PerfOtel.Tests.Shared;

/// <summary>Result of running a command-line tool to completion.</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;
}

public static class ToolRun
{
    /// <summary>Runs a tool to completion (killed after the timeout) and captures its output.</summary>
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }

        return new ToolResult(p.ExitCode, await stdout, await stderr);
    }
}
