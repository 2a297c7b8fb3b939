using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.Security;

namespace PerfOtel.Collector.Tests;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("perfotel-keys-").FullName;

    private static ApiKeyStore Store(IngestOptions o) => new(Options.Create(o), NullLogger<ApiKeyStore>.Instance);

    [Fact]
    public void Key_authenticates_to_its_source_and_near_misses_do_not()
    {
        var store = Store(new IngestOptions { ApiKeys = [new() { Source = "ci", Key = "abc123" }, new() { Source = "demo", Key = "xyz789" }] });
        Assert.Equal("ci", store.Authenticate("abc123"));
        Assert.Equal("demo", store.Authenticate("xyz789"));
        Assert.Null(store.Authenticate("abc12"));
        Assert.Null(store.Authenticate("abc1234"));
        Assert.Null(store.Authenticate(""));
    }

    [Fact]
    public void Key_is_read_from_a_file()
    {
        var file = Path.Combine(dir, "k");
        File.WriteAllText(file, "from-file\n");
        Assert.Equal("agents", Store(new IngestOptions { ApiKeys = [new() { Source = "agents", KeyFile = file }] }).Authenticate("from-file"));
    }

    [Fact]
    public void Generated_key_file_is_created_once_private_and_reused()
    {
        var file = Path.Combine(dir, "sub", "api-key");
        var first = Store(new IngestOptions { GeneratedKeyFile = file });
        var key = File.ReadAllText(file).Trim();
        Assert.True(key.Length >= 32);
        Assert.Equal("generated", first.Authenticate(key));
        Assert.Equal("generated", Store(new IngestOptions { GeneratedKeyFile = file }).Authenticate(key));
        Assert.Equal(key, File.ReadAllText(file).Trim());
        Assert.False(File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead));
    }

    [Fact]
    public void No_key_means_closed_ingest()
    {
        var store = Store(new IngestOptions());
        Assert.False(store.HasKeys);
        Assert.Null(store.Authenticate("anything"));
    }

    [Fact]
    public void Empty_configured_key_fails_at_start() =>
        Assert.Throws<InvalidOperationException>(() => Store(new IngestOptions { ApiKeys = [new() { Source = "x", Key = " " }] }));

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
