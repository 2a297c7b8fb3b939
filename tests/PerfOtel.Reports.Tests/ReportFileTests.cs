using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Tests.Support;

namespace PerfOtel.Reports.Tests;

public class ReportFileTests
{
    [Fact]
    public void Writes_into_a_new_folder_and_leaves_no_temporary_file()
    {
        using var temp = new TempFolder();
        var folder = temp.Sub("reports/2026");

        var path = ReportFile.Write(folder, "r.md", "# hi\n");

        Assert.Equal(Path.Combine(folder, "r.md"), path);
        Assert.Equal("# hi\n", File.ReadAllText(path));
        Assert.Equal([path], temp.Files());
    }

    [Fact]
    public void Replaces_an_existing_report_whole()
    {
        using var temp = new TempFolder();
        ReportFile.Write(temp.Path, "r.md", new string('x', 10_000));

        var path = ReportFile.Write(temp.Path, "r.md", "short\n");

        Assert.Equal("short\n", File.ReadAllText(path));
        Assert.Single(temp.Files());
    }

    [Fact]
    public void An_unwritable_folder_is_an_output_failure_and_leaves_nothing()
    {
        using var temp = new TempFolder();
        var notAFolder = Path.Combine(temp.Path, "file");
        File.WriteAllText(notAFolder, "");

        var failure = Assert.Throws<ReportFailure>(() => ReportFile.Write(notAFolder, "r.md", "x"));

        Assert.Equal(ExitCodes.OutputFailed, failure.ExitCode);
        Assert.Equal([notAFolder], temp.Files());
    }
}
