using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;

namespace PerfOtel.Collector.Security;

/// <summary>
/// The accepted API keys. Keys are kept only as SHA-256 digests and compared in constant time, so neither timing
/// nor length tells a caller how close a guess was. Keys are never logged; only their source names are.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly (string Source, byte[] Digest)[] keys;

    public ApiKeyStore(IOptions<IngestOptions> options, ILogger<ApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var list = new List<(string, byte[])>();
        foreach (var k in o.ApiKeys)
        {
            var key = k.Key ?? (k.KeyFile is null ? null : File.ReadAllText(k.KeyFile).Trim());
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new InvalidOperationException($"API key of source '{k.Source}' is empty: set Key or KeyFile.");
            }

            list.Add((k.Source, Digest(key)));
        }

        if (list.Count == 0 && o.GeneratedKeyFile is not null)
        {
            list.Add(("generated", Digest(LoadOrCreateKeyFile(o.GeneratedKeyFile, logger))));
        }

        if (list.Count == 0)
        {
            Log.NoApiKeys(logger);
        }

        keys = [.. list];
    }

    public bool HasKeys => keys.Length > 0;

    /// <summary>The source name of a presented key, or null when it matches none.</summary>
    public string? Authenticate(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty)
        {
            return null;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> utf8 = presented.Length <= 256 ? stackalloc byte[presented.Length * 3] : new byte[presented.Length * 3];
        var n = Encoding.UTF8.GetBytes(presented, utf8);
        SHA256.HashData(utf8[..n], digest);
        string? match = null;
        foreach (var (source, d) in keys)
        {
            // Compare against every key, no early exit.
            if (CryptographicOperations.FixedTimeEquals(digest, d))
            {
                match = source;
            }
        }

        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string LoadOrCreateKeyFile(string path, ILogger logger)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var tmp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner read/write, group read: Alertmanager reads it from a shared volume in compose.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        using (var f = new FileStream(tmp, fileOptions))
        {
            f.Write(Encoding.UTF8.GetBytes(key + "\n"));
        }

        File.Move(tmp, path, overwrite: true);
        Log.GeneratedApiKey(logger, path);
        return key;
    }
}
