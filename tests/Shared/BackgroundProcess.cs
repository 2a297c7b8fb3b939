using System.Collections.Concurrent;
using System.Diagnostics;

namespace PerfOtel.Tests.Shared;

/// <summary>
/// A long-running server process for a test fixture. Its output is kept for failure messages; it is killed
/// (with its children) on dispose and, as a safety net, when the test host exits.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    static BackgroundProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Live.Values)
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        };
    }

    private BackgroundProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The process id (to send it a signal other than the SIGKILL of <see cref="DisposeAsync"/>).</summary>
    public int Id => process.Id;

    /// <summary>The last lines the process printed (stdout and stderr interleaved).</summary>
    public string RecentOutput => string.Join('\n', lines.TakeLast(60));

    public static BackgroundProcess Start(string name, string file, IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDirectory = null)
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

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var bp = new BackgroundProcess(name, p);
        p.OutputDataReceived += (_, e) => bp.Keep(e.Data);
        p.ErrorDataReceived += (_, e) => bp.Keep(e.Data);
        if (!p.Start())
        {
            throw new InvalidOperationException("could not start " + file);
        }

        Live[p.Id] = p;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return bp;
    }

    /// <summary>Polls the HTTP URL until it answers 2xx, failing early if the process died.</summary>
    public async Task WaitForHttpOkAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                using var r = await http.GetAsync(url);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} did not answer {url} within {timeout}:\n{RecentOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        Live.TryRemove(process.Id, out _);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 400)
        {
            lines.TryDequeue(out _);
        }
    }
}
