using System.Text;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Rendering;

/// <summary>Names report files and writes them so that a reader never sees a half-written one.</summary>
internal static class ReportFile
{
    /// <summary><c>perfotel-report-20260131T120000Z-20260131T130000Z.md</c>: UTC stamps, so names sort by time.</summary>
    public static string NameFor(ReportRange range, string extension) => NameFor(ReportKind.Range, range, extension);

    /// <summary><c>perfotel-{report|daily|weekly|cost}-FROM-TO.ext</c>.</summary>
    public static string NameFor(ReportKind kind, ReportRange range, string extension) =>
        NameFor(kind switch
        {
            ReportKind.Daily => "perfotel-daily",
            ReportKind.Weekly => "perfotel-weekly",
            ReportKind.Cost => "perfotel-cost",
            _ => "perfotel-report",
        }, range, extension);

    public static string NameFor(string prefix, ReportRange range, string extension) =>
        $"{prefix}-{ReportTime.FileStamp(range.From)}-{ReportTime.FileStamp(range.To)}.{extension}";

    /// <summary>Writes text as UTF-8 without a byte order mark; see <see cref="Write(string, string, byte[])"/>.</summary>
    public static string Write(string directory, string fileName, string content) =>
        Write(directory, fileName, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));

    /// <summary>
    /// Writes <paramref name="content"/> to a hidden temporary file in the same folder, flushes it to disk and
    /// renames it over <paramref name="fileName"/> (atomic on one file system). On failure the temporary file
    /// is removed and an existing report stays as it was. Returns the full path.
    /// </summary>
    public static string Write(string directory, string fileName, byte[] content)
    {
        string? temporary = null;
        try
        {
            var folder = Directory.CreateDirectory(directory).FullName;
            var path = Path.Combine(folder, fileName);
            temporary = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
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
