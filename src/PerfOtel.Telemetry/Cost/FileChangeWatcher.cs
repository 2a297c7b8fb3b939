namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// Calls back once a file has settled after a change. Watches the whole directory, not only the file name, so that
/// an atomic replace (write elsewhere, rename over) and Kubernetes ConfigMap updates (a symlink swap of
/// <c>..data</c>) are seen too; the callback compares content, so unrelated events cost one read.
/// </summary>
/// <remarks>
/// Events come in bursts (an editor truncates, writes, renames); each one restarts the debounce timer, and the
/// callback runs once, on a timer thread, after <c>debounce</c> of quiet. The callback must not throw; if it does,
/// the exception is swallowed so that a reload can never take the process down.
/// </remarks>
public sealed class FileChangeWatcher : IDisposable
{
    private readonly FileSystemWatcher watcher;
    private readonly Timer timer;
    private readonly TimeSpan debounce;
    private readonly Action onChange;
    private int disposed;

    public FileChangeWatcher(string path, TimeSpan debounce, Action onChange)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(onChange);
        ArgumentOutOfRangeException.ThrowIfLessThan(debounce, TimeSpan.Zero);
        this.debounce = debounce;
        this.onChange = onChange;
        var full = System.IO.Path.GetFullPath(path);
        Path = full;
        var directory = System.IO.Path.GetDirectoryName(full)
            ?? throw new ArgumentException($"'{path}' has no directory to watch", nameof(path));
        timer = new Timer(static s => ((FileChangeWatcher)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite
                           | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += OnEvent;
        watcher.Created += OnEvent;
        watcher.Deleted += OnEvent;
        watcher.Renamed += OnEvent;
        watcher.Error += OnError;
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>The watched file (absolute).</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        watcher.Dispose();
        timer.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e) => Schedule();

    // Buffer overflow: events were lost, one of them may have been ours.
    private void OnError(object sender, ErrorEventArgs e) => Schedule();

    private void Schedule()
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            try
            {
                timer.Change(debounce, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the check and the call.
            }
        }
    }

    private void Fire()
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        try
        {
            onChange();
        }
        catch (Exception)
        {
            // A reload must never take the process down; the callback logs its own failures.
        }
    }
}
