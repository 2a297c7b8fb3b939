using System.Diagnostics;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>Runs the shipped scripts of deploy/production/backup (the files operators run, not a C# copy of them).</summary>
public static class BackupScripts
{
    public static string PathOf(string script) => RepoPaths.Of("deploy", "production", "backup", script);

    /// <summary>Runs SCRIPT with bash and returns its result and wall time.</summary>
    public static async Task<(ToolResult Result, TimeSpan Elapsed)> RunAsync(string script, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var result = await ToolRun.RunAsync("bash", [PathOf(script), .. args], timeout: TimeSpan.FromSeconds(90));
        return (result, watch.Elapsed);
    }

    /// <summary>Runs SCRIPT and asserts it succeeded; returns its standard output.</summary>
    public static async Task<(string StdOut, TimeSpan Elapsed)> RunOkAsync(string script, params string[] args)
    {
        var (result, elapsed) = await RunAsync(script, args);
        Assert.True(result.ExitCode == 0, $"{script} exited with {result.ExitCode}:\n{result.Output}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{script}: {elapsed.TotalSeconds:F1} s\n{result.Output.Trim()}");
        return (result.StdOut, elapsed);
    }

    /// <summary>Runs SCRIPT, asserts it failed with EXITCODE and a one-line error containing EXPECTED (plus the usage line for exit 2); returns the error.</summary>
    public static async Task<string> RunFailingAsync(int exitCode, string expected, string script, params string[] args)
    {
        var (result, _) = await RunAsync(script, args);
        Assert.True(result.ExitCode == exitCode, $"{script} {string.Join(' ', args)} exited with {result.ExitCode}, expected {exitCode}:\n{result.Output}");
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // One line: the error; a usage error (exit 2) adds the usage line.
        Assert.True(lines.Length == (exitCode == 2 ? 2 : 1), $"{script}: expected a one-line error, got:\n{result.StdErr}");
        var first = lines[0];
        Assert.StartsWith(script + ": ", first, StringComparison.Ordinal);
        if (exitCode == 2)
        {
            Assert.StartsWith("usage: " + script + " ", lines[1], StringComparison.Ordinal);
        }

        Assert.Contains(expected, first, StringComparison.Ordinal);
        return first;
    }
}
