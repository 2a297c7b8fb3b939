using Microsoft.Extensions.Primitives;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Collector.Budgets;

/// <summary>
/// The budgets in force, from the configuration section <c>PerfOtel:Budgets</c> or from the file it names
/// (<c>PerfOtel:Budgets:File</c>), reloaded on change. Invalid budgets at start throw; on reload they are logged and
/// rejected, and the last good budgets stay in force.
/// </summary>
/// <remarks>
/// The file is read here rather than added as a JSON configuration source: on a reload, the configuration system
/// empties a provider whose file has a syntax error (and reports it to no one), which would silently drop every
/// budget. Which source is used (inline or file) is decided at start.
/// </remarks>
public sealed class BudgetSource : IDisposable
{
    /// <summary>Quiet time after the last file event before the file is read.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(300);

    private readonly IConfiguration configuration;
    private readonly ILogger logger;
    private readonly Lock reloadLock = new();
    private readonly IDisposable watch;
    private IReadOnlyList<Budget> current;
    private byte[] lastSeenFile = [];

    /// <exception cref="BudgetsException">The budgets configured at start are invalid (or their file missing).</exception>
    public BudgetSource(IConfiguration configuration, ILogger<BudgetSource> logger, TimeSpan? debounce = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(logger);
        this.configuration = configuration;
        this.logger = logger;
        var file = BudgetParser.FilePath(configuration);
        if (file is null)
        {
            Description = $"configuration section {BudgetParser.Section}";
            current = BudgetParser.FromConfiguration(configuration);
            watch = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload());
        }
        else
        {
            // Inline entries beside File are an error; FromConfiguration says so.
            BudgetParser.FromConfiguration(configuration);
            FilePath = Path.GetFullPath(file);
            Description = $"file {FilePath}";
            lastSeenFile = ReadFile(FilePath);
            current = BudgetParser.FromFile(lastSeenFile, FilePath);
            watch = new FileChangeWatcher(FilePath, debounce ?? DefaultDebounce, () => Reload());
        }

        BudgetLog.Loaded(logger, Description, current.Count);
    }

    /// <summary>Where the budgets come from, for messages.</summary>
    public string Description { get; }

    /// <summary>The budgets file (absolute), or null when budgets are inline in configuration.</summary>
    public string? FilePath { get; }

    /// <summary>The budgets in force.</summary>
    public IReadOnlyList<Budget> Current => Volatile.Read(ref current);

    /// <summary>Reads the budgets again; what a configuration or file change does.</summary>
    /// <returns>True when different budgets are now in force.</returns>
    public bool Reload()
    {
        lock (reloadLock)
        {
            IReadOnlyList<Budget> next;
            try
            {
                if (FilePath is null)
                {
                    next = BudgetParser.FromConfiguration(configuration);
                }
                else
                {
                    var bytes = ReadFile(FilePath);
                    if (bytes.AsSpan().SequenceEqual(lastSeenFile))
                    {
                        return false;
                    }

                    lastSeenFile = bytes;
                    next = BudgetParser.FromFile(bytes, FilePath);
                }
            }
            catch (BudgetsException e)
            {
                BudgetLog.Rejected(logger, e.BudgetsSource, Current.Count, string.Join("; ", e.Problems));
                if (e.InnerException is IOException or UnauthorizedAccessException)
                {
                    // Missing or unreadable: read again on the next event even if the content turns out the same.
                    lastSeenFile = [];
                }

                return false;
            }

            if (next.SequenceEqual(Current))
            {
                return false;
            }

            Volatile.Write(ref current, next);
            BudgetLog.Loaded(logger, Description, next.Count);
            return true;
        }
    }

    public void Dispose() => watch.Dispose();

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BudgetsException($"file {path}", [e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message], e);
        }
    }
}
