using Microsoft.Extensions.Logging;

namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// The pricing catalog of a file, reloaded when the file changes. A file that cannot be used at start throws (the
/// operator sees the problem immediately); a bad file on reload is logged and rejected, and the last good catalog
/// stays in force.
/// </summary>
public sealed class PricingCatalogFile : IDisposable
{
    /// <summary>Quiet time after the last file event before the file is read.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(300);

    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly FileChangeWatcher watcher;
    private readonly Lock reloadLock = new();
    private PricingCatalog current;
    private DateTimeOffset loadedAt;
    private byte[] lastSeen;

    /// <exception cref="PricingCatalogException">The file is missing or invalid.</exception>
    public PricingCatalogFile(string path, ILogger<PricingCatalogFile> logger, TimeProvider? timeProvider = null, TimeSpan? debounce = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
        time = timeProvider ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        lastSeen = Read(Path);
        current = PricingCatalog.Parse(lastSeen, Path);
        loadedAt = time.GetUtcNow();
        PricingLog.CatalogLoaded(logger, Path, current.Prices.Count, current.ModelCount, current.SchemaVersion);
        watcher = new FileChangeWatcher(Path, debounce ?? DefaultDebounce, () => Reload());
    }

    /// <summary>The catalog file (absolute path).</summary>
    public string Path { get; }

    /// <summary>The catalog in force: the last one that loaded without problems.</summary>
    public PricingCatalog Current => Volatile.Read(ref current);

    /// <summary>Reads the file again now; what a file change does after its debounce.</summary>
    /// <returns>True when a new catalog is in force; false when the content was unchanged or rejected.</returns>
    public bool Reload()
    {
        lock (reloadLock)
        {
            byte[] bytes;
            try
            {
                bytes = Read(Path);
            }
            catch (PricingCatalogException e)
            {
                // Deleted or unreadable (perhaps mid-replace): keep the catalog; the next event retries.
                Reject(e);
                lastSeen = [];
                return false;
            }

            if (bytes.AsSpan().SequenceEqual(lastSeen))
            {
                return false;
            }

            lastSeen = bytes;
            try
            {
                var catalog = PricingCatalog.Parse(bytes, Path);
                Volatile.Write(ref current, catalog);
                loadedAt = time.GetUtcNow();
                PricingLog.CatalogLoaded(logger, Path, catalog.Prices.Count, catalog.ModelCount, catalog.SchemaVersion);
                return true;
            }
            catch (PricingCatalogException e)
            {
                Reject(e);
                return false;
            }
        }
    }

    public void Dispose() => watcher.Dispose();

    private void Reject(PricingCatalogException e) =>
        PricingLog.CatalogRejected(logger, Path, Current.Prices.Count, loadedAt, string.Join("; ", e.Problems));

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PricingCatalogException(path, [e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message], e);
        }
    }
}
