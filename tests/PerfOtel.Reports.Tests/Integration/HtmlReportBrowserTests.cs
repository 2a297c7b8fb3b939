using System.Text.RegularExpressions;
using PerfOtel.Reports.Tests.Support;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>
/// The HTML report opened in headless Chromium (Debian <c>chromium</c>): the charts are drawn (the page's script
/// sets <c>data-charts-rendered</c>, every canvas has a size), no script error, and the screenshot is not blank.
/// </summary>
[Collection("fleet")]
public partial class HtmlReportBrowserTests(FleetPrometheus prometheus)
{
    private static readonly string? Chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    [Fact]
    public async Task Charts_render_without_script_errors_and_the_screenshot_is_not_blank()
    {
        Assert.SkipUnless(Chromium is not null, "chromium is not installed (deploy/native/install-deps.sh installs it)");
        using var temp = new TempFolder();
        var history = prometheus.History;
        var result = await Cli.RunAsync(
            "range", "--from", ReportTime.Format(history.ReportFrom), "--to", ReportTime.Format(history.ReportTo),
            "--prometheus-url", prometheus.Url, "--output", temp.Path, "--format", "html");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var page = new Uri(result.Out.Trim()).AbsoluteUri;
        var canvases = CanvasTag().Count(await File.ReadAllTextAsync(result.Out.Trim(), TestContext.Current.CancellationToken));
        Assert.True(canvases >= 6, $"only {canvases} charts in the page");

        var dom = await RunChromiumAsync(temp, ["--dump-dom", page]);
        var body = BodyTag().Match(dom.StdOut).Value;
        Assert.DoesNotContain("data-script-error", body, StringComparison.Ordinal);
        Assert.Equal($"<body data-charts-rendered=\"{canvases}\">", body);
        var sized = SizedCanvas().Matches(dom.StdOut);
        Assert.Equal(canvases, sized.Count);
        Assert.All(sized, m => Assert.True(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 100 && int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 100, m.Value));
        Assert.DoesNotContain("Uncaught", dom.StdErr, StringComparison.Ordinal);

        var screenshot = Path.Combine(temp.Path, "report.png");
        var shot = await RunChromiumAsync(temp, [$"--screenshot={screenshot}", page]);
        Assert.True(File.Exists(screenshot), shot.Output);
        var image = PngImage.Read(await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken));
        Assert.Equal((1280, 2000), (image.Width, image.Height));
        Assert.True(image.DistinctColours() > 200, $"{image.DistinctColours()} colours: the page looks blank");
        Assert.InRange(image.InkRatio(), 0.03, 0.9);
    }

    private static async Task<ToolResult> RunChromiumAsync(TempFolder temp, string[] args)
    {
        string[] flags =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--window-size=1280,2000",
            $"--user-data-dir={Path.Combine(temp.Path, "chromium-profile-" + Guid.NewGuid().ToString("N"))}", // deleted with the test folder
        ];
        var result = await ToolRun.RunAsync(Chromium!, [.. flags, .. args], temp.Path, TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, $"chromium exited {result.ExitCode}:\n{result.StdErr}");
        return result;
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("<canvas ")]
    private static partial Regex CanvasTag();

    [GeneratedRegex("<canvas [^>]*width=\"(\\d+)\" height=\"(\\d+)\"")]
    private static partial Regex SizedCanvas();
}
