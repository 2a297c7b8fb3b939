namespace PerfOtel.Config.Tests.Secrets;

/// <summary>The repository's files that are or would be committed, as paths relative to the repository root.</summary>
public static class RepoFiles
{
    /// <summary>Folders never committed (build output, dependencies, VCS data, local runs).</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", "TestResults", ".run", ".vs" };

    /// <summary>
    /// Tracked files plus untracked ones that .gitignore does not exclude (what the next `git add -A` would commit),
    /// from git; from a walk of the tree when the source is not a git checkout (a tarball).
    /// </summary>
    public static async Task<(IReadOnlyList<string> Files, string Source)> ListAsync(string root)
    {
        try
        {
            var git = await ToolRun.RunAsync("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], timeout: TimeSpan.FromMinutes(1));
            if (git.ExitCode == 0)
            {
                // Files deleted in the work tree but still in the index are not there to read.
                return ([.. git.StdOut.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => File.Exists(Path.Combine(root, f)))], "git ls-files");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
        }

        return (Walk(root), "directory walk");
    }

    /// <summary>Every file under <paramref name="root"/> except in <see cref="SkippedFolders"/>.</summary>
    public static IReadOnlyList<string> Walk(string root)
    {
        var files = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            files.AddRange(Directory.EnumerateFiles(dir).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')));
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub)) && !new DirectoryInfo(sub).Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    pending.Push(sub);
                }
            }
        }

        return files;
    }

    /// <summary>The file's text, or null for a binary file (a NUL byte in its first 8 KiB) or one over 5 MiB.</summary>
    public static string? ReadText(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > 5 * 1024 * 1024)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        return Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8192)) >= 0 ? null : System.Text.Encoding.UTF8.GetString(bytes);
    }
}
