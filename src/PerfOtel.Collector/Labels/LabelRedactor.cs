using System.Text.RegularExpressions;

namespace PerfOtel.Collector.Labels;

/// <summary>
/// Replaces values that must never become a metric label (they leak data or explode cardinality) by a fixed
/// marker: file paths, e-mail addresses, URLs with a query string, and anything that looks like a credential.
/// </summary>
public static partial class LabelRedactor
{
    public const string Path = "redacted_path";
    public const string Email = "redacted_email";
    public const string Url = "redacted_url";
    public const string Secret = "redacted_secret";

    /// <summary>The marker that replaces the value, or null when the value may be used as it is.</summary>
    public static string? Redaction(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (LooksLikeSecret(value))
        {
            return Secret;
        }

        if (EmailPattern().IsMatch(value))
        {
            return Email;
        }

        if (value.Contains("://", StringComparison.Ordinal) && (value.Contains('?', StringComparison.Ordinal) || value.Contains('@', StringComparison.Ordinal)))
        {
            return Url;
        }

        if (PathPattern().IsMatch(value))
        {
            return Path;
        }

        return null;
    }

    private static bool LooksLikeSecret(string value)
    {
        if (SecretPrefix().IsMatch(value))
        {
            return true;
        }

        // A long unbroken token mixing letters and digits (API keys, hashes, JWT parts).
        foreach (var token in value.Split([' ', ':', '/', '.', '='], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Length >= 32 && token.Any(char.IsAsciiDigit) && token.Any(char.IsAsciiLetter))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?i)(^|[\s:=?&])(sk-|sk_live_|pk_live_|ghp_|gho_|github_pat_|xox[abpr]-|AKIA[0-9A-Z]{12}|AIza|eyJ[a-zA-Z0-9_-]{10,}|bearer\s|basic\s|password|passwd|secret=|token=|api[_-]?key)")]
    private static partial Regex SecretPrefix();

    [GeneratedRegex(@"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(^(/|~|\./|\.\./|[A-Za-z]:[\\/])|\\|/(home|usr|etc|var|tmp|Users|root|opt|mnt)/)")]
    private static partial Regex PathPattern();
}
