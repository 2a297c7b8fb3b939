namespace PerfOtel.Reports.Tests.Support;

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The error output, asserted to be exactly one line.</summary>
    public string ErrorLine
    {
        get
        {
            var line = Error.TrimEnd('\n', '\r');
            Assert.False(string.IsNullOrEmpty(line), "expected an error line on stderr");
            Assert.DoesNotContain('\n', line);
            Assert.StartsWith("perfotel-reports: error: ", line, StringComparison.Ordinal);
            return line;
        }
    }
}

/// <summary>Runs the CLI in-process: captured writers, a given environment (empty by default), a fixed clock.</summary>
internal static class Cli
{
    public static readonly DateTimeOffset Now = new(2026, 1, 31, 13, 0, 0, TimeSpan.Zero);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, name => environment.GetValueOrDefault(name), new FixedTime(Now))
        {
            QueryTimeout = TimeSpan.FromSeconds(20),
        };
        var code = await ReportsCli.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
