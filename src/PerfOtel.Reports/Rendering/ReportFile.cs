using System.Text;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Rendering;

/// <summary>Names report files and writes them so that a reader never sees a half-written one.</summary>
internal static class ReportFile
{
    /// <summary><c>perfotel-report-20260131T120000Z-20260131T130000Z.md</c>: UTC stamps, so names sort by time.</summary>
    public static string NameFor(ReportRange range, string extension) =>
        $"perfotel-report-{ReportTime.FileStamp(range.From)}-{ReportTime.FileStamp(range.To)}.{extension}";

    /// <summary>
    /// Writes <paramref name="content"/> to a hidden temporary file in the same folder, flushes it to disk and
    /// renames it over <paramref name="fileName"/> (atomic on one file system). On failure the temporary file
    /// is removed and an existing report stays as it was. Returns the full path.
    /// </summary>
    public static string Write(string directory, string fileName, string content)
    {
        string? temporary = null;
        try
        {
            var folder = Directory.CreateDirectory(directory).FullName;
            var path = Path.Combine(folder, fileName);
            temporary = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            temporary = null;
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ReportFailure(ExitCodes.OutputFailed, $"cannot write the report to '{directory}': {e.Message}", e);
        }
        finally
        {
            if (temporary is not null)
            {
                TryDelete(temporary);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
