namespace PerfOtel.Reports.Tests.Support;

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("perfotel-reports-test-").FullName;

    /// <summary>A folder below <see cref="Path"/> that does not exist yet (the CLI must create it).</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public string[] Files() => Directory.Exists(Path)
        ? Directory.GetFiles(Path, "*", SearchOption.AllDirectories)
        : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
