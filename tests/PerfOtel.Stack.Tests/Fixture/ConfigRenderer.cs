using System.Text.RegularExpressions;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// Renders a shipped config file for the test stack by plain string substitution, the same way the native runner
/// does. Every substitution must match: a renamed target or interval in the shipped file fails the fixture loudly
/// instead of silently testing something else.
/// </summary>
public static class ConfigRenderer
{
    public static string Render(string path, IReadOnlyList<(string From, string To)> replacements)
    {
        var text = File.ReadAllText(path);
        foreach (var (from, to) in replacements)
        {
            if (!text.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{path} no longer contains '{from}': update the test stack's rendering");
            }

            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Shortens every alert's <c>for:</c> and every group's own <c>interval:</c> (rollups, 7-day baselines) so the
    /// end-to-end test neither waits minutes per alert nor for a baseline group's first evaluation.
    /// </summary>
    public static string ShortenFor(string rules, string to) =>
        Regex.Replace(Regex.Replace(rules, @"(?m)^(\s+for:\s*)\S+", "${1}" + to), @"(?m)^(\s+interval:\s*)\S+", "${1}" + to);
}
