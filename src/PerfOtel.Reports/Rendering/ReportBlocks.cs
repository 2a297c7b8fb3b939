namespace PerfOtel.Reports.Rendering;

/// <summary>A piece of a report's text: Markdown and HTML render the same blocks, so they say the same things.</summary>
internal abstract record Block;

internal sealed record Heading(int Level, string Text) : Block;

internal sealed record Paragraph(string Text) : Block;

/// <summary>A bullet list; each item may have sub-items (evidence).</summary>
internal sealed record Bullets(IReadOnlyList<ListItem> Items) : Block;

/// <summary>A numbered list (recommendations): a bold title, text, and sub-items.</summary>
internal sealed record Numbered(IReadOnlyList<ListItem> Items) : Block;

internal sealed record ListItem(string Text, IReadOnlyList<string> SubItems, string? Title = null);

/// <summary>A table; <see cref="RightAligned"/> marks numeric columns.</summary>
internal sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<bool> RightAligned, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

/// <summary>Where the HTML report puts its charts (Markdown skips it).</summary>
internal sealed record Charts : Block;
