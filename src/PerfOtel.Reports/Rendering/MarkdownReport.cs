using System.Text;
using PerfOtel.Reports.Analysis;

namespace PerfOtel.Reports.Rendering;

/// <summary>The report as GitHub-flavoured Markdown (the <see cref="ReportSections"/> without charts).</summary>
internal sealed class MarkdownReport : IReportRenderer
{
    public string FileExtension => "md";

    public string Render(ReportModel model)
    {
        var md = new StringBuilder();
        foreach (var block in ReportSections.Build(model))
        {
            switch (block)
            {
                case Heading h:
                    md.Append('#', h.Level).Append(' ').Append(Escape(h.Text)).Append("\n\n");
                    break;
                case Paragraph p:
                    md.Append(Escape(p.Text)).Append("\n\n");
                    break;
                case Bullets b:
                    foreach (var item in b.Items)
                    {
                        md.Append("- ").Append(Escape(item.Text)).Append('\n');
                        SubItems(md, item, "  ");
                    }

                    md.Append('\n');
                    break;
                case Numbered n:
                    for (var i = 0; i < n.Items.Count; i++)
                    {
                        var item = n.Items[i];
                        var prefix = $"{i + 1}. ";
                        md.Append(prefix);
                        if (item.Title is not null)
                        {
                            md.Append("**").Append(Escape(item.Title)).Append("**: ");
                        }

                        md.Append(Escape(item.Text)).Append('\n');
                        SubItems(md, item, new string(' ', prefix.Length));
                    }

                    md.Append('\n');
                    break;
                case Table t:
                    Row(md, t.Headers);
                    Row(md, t.RightAligned.Select(r => r ? "---:" : "---").ToList(), escape: false);
                    foreach (var row in t.Rows)
                    {
                        Row(md, row);
                    }

                    md.Append('\n');
                    break;
            }
        }

        return md.ToString().TrimEnd('\n') + "\n";
    }

    private static void SubItems(StringBuilder md, ListItem item, string indent)
    {
        foreach (var sub in item.SubItems)
        {
            md.Append(indent).Append("- ").Append(Escape(sub)).Append('\n');
        }
    }

    private static void Row(StringBuilder md, IReadOnlyList<string> cells, bool escape = true)
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
