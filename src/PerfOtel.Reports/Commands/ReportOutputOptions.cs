using System.CommandLine;
using System.CommandLine.Parsing;
using PerfOtel.Reports.Rendering;

namespace PerfOtel.Reports.Commands;

/// <summary>Where and how a report command writes its files, and where it posts a summary; shared by every report command.</summary>
internal sealed class ReportOutputOptions
{
    public ReportOutputOptions()
    {
        Format.AcceptOnlyFromAmong(ReportFormats.Names);
    }

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Folder the report is written to (created if missing)",
        HelpName = "dir",
        DefaultValueFactory = _ => ".",
    };

    public Option<string[]> Format { get; } = new("--format")
    {
        Description = "Report format; repeat the option for several files (--format markdown --format html)",
        DefaultValueFactory = _ => [ReportFormats.Names[0]],
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<Uri?> PostTo { get; } = new("--post-to")
    {
        Description = "Post a summary to this webhook as Slack-compatible JSON; @FILE reads the URL from a file (keep webhook URLs out of command lines)",
        HelpName = "url|@file",
        CustomParser = ParsePostTo,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(Format);
        command.Options.Add(PostTo);
    }

    public ReportSettings Read(ParseResult parsed, GlobalOptions global)
    {
        var endpoint = global.Endpoint(parsed);
        return new(
            endpoint.Url,
            parsed.GetRequiredValue(Output),
            parsed.GetRequiredValue(Format).Distinct(StringComparer.Ordinal).Select(ReportFormats.Parse).ToList(),
            parsed.GetValue(PostTo),
            endpoint.CaFile);
    }

    private static Uri? ParsePostTo(ArgumentResult result)
    {
        var token = result.Tokens[0].Value;
        var fromFile = token.StartsWith('@');
        var text = token;
        if (fromFile)
        {
            try
            {
                text = File.ReadAllText(token[1..]).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                result.AddError($"--post-to: cannot read '{token[1..]}': {e.Message}");
                return null;
            }
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        // Never echo a file's content: it may be a secret that is merely malformed.
        result.AddError(fromFile ? $"--post-to: the content of '{token[1..]}' is not an http(s) URL" : $"--post-to: '{token}' is not an http(s) URL");
        return null;
    }
}
