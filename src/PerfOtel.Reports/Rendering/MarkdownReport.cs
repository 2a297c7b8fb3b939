using System.Text;
using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Rendering;

/// <summary>The report as GitHub-flavoured Markdown: title, range, a KPI table and a per-agent table.</summary>
internal sealed class MarkdownReport : IReportRenderer
{
    public string FileExtension => "md";

    public string Render(ReportDocument document)
    {
        var kpis = document.Kpis;
        var range = document.Range;
        var md = new StringBuilder();
        md.Append("# PerfOtel agent report: ").Append(ReportTime.Format(range.From)).Append(" to ").Append(ReportTime.Format(range.To)).Append("\n\n");
        md.Append("- Range: ").Append(ReportTime.Format(range.From)).Append(" (exclusive) to ").Append(ReportTime.Format(range.To))
            .Append(" (inclusive), ").Append(ReportTime.FormatSpan(range.Window)).Append('\n');
        md.Append("- Source: Prometheus at ").Append(Escape(document.Source)).Append('\n');
        md.Append("- Generated: ").Append(ReportTime.Format(document.GeneratedAt)).Append("\n\n");

        md.Append("## KPIs\n\n");
        md.Append("| KPI | Value |\n");
        md.Append("| --- | ---: |\n");
        var total = kpis.Total;
        Row(md, "Agent runs", KpiFormat.Count(total.Runs));
        Row(md, "Run success ratio", KpiFormat.Ratio(total.SuccessRatio));
        Row(md, "p95 run duration", KpiFormat.Seconds(total.P95RunDurationSeconds));
        Row(md, "LLM calls", KpiFormat.Count(total.LlmCalls));
        Row(md, "LLM call error ratio", KpiFormat.Ratio(total.LlmErrorRatio));
        foreach (var type in kpis.TokenTypes)
        {
            Row(md, TokenHeading(type), KpiFormat.Count(total.Tokens(type)));
        }

        md.Append("\n## Per agent\n\n");
        string[] headings = ["Agent", "Runs", "Run success ratio", "p95 run duration", "LLM calls", "LLM call error ratio", .. kpis.TokenTypes.Select(TokenHeading)];
        Row(md, headings);
        Row(md, ["---", .. Enumerable.Repeat("---:", headings.Length - 1)], escape: false);
        foreach (var agent in kpis.Agents)
        {
            var v = agent.Values;
            Row(md,
            [
                KpiFormat.Agent(agent.Agent),
                KpiFormat.Count(v.Runs),
                KpiFormat.Ratio(v.SuccessRatio),
                KpiFormat.Seconds(v.P95RunDurationSeconds),
                KpiFormat.Count(v.LlmCalls),
                KpiFormat.Ratio(v.LlmErrorRatio),
                .. kpis.TokenTypes.Select(t => KpiFormat.Count(v.Tokens(t))),
            ]);
        }

        md.Append('\n');
        md.Append("Runs, calls and tokens are the counters' exact increase over the range (approximate only across a ")
            .Append("counter reset); p95 is interpolated within the run-duration histogram's buckets.\n");
        return md.ToString();
    }

    private static string TokenHeading(string type) => $"Tokens ({(type.Length == 0 ? "untyped" : type)})";

    private static void Row(StringBuilder md, string kpi, string value) => Row(md, [kpi, value]);

    private static void Row(StringBuilder md, string[] cells, bool escape = true)
    {
        md.Append('|');
        foreach (var cell in cells)
        {
            md.Append(' ').Append(escape ? Escape(cell) : cell).Append(" |");
        }

        md.Append('\n');
    }

    /// <summary>
    /// Label values come from agents: a '|' would split a table cell, '*', '_', '`', '[', '&lt;' would format or
    /// link. Backslash-escape Markdown's punctuation; a line break becomes a space.
    /// </summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else
            {
                if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
