using System.Text.RegularExpressions;

namespace PerfOtel.Config.Tests.Secrets;

/// <summary>One secret-looking string in a file; <see cref="Excerpt"/> is masked so a test log never repeats the secret.</summary>
public sealed record SecretFinding(string Path, int Line, string Rule, string Match)
{
    public string Excerpt => Match.Length <= 8 ? new string('*', Match.Length) : $"{Match[..6]}…({Match.Length} chars)";

    public override string ToString() => $"{Path}:{Line}: {Rule}: {Excerpt}";
}

/// <summary>
/// Finds what must never be committed: private keys, password hashes, tokens and keys of known services, and
/// high-entropy values given to password/secret/token/key settings in configuration files. Patterns are broad on
/// purpose (a fake that looks real is allow-listed by name, <see cref="SecretAllowList"/>): a miss leaks a secret,
/// a false alarm costs one allow-list line.
/// </summary>
public static partial class SecretScanner
{
    public const string PrivateKey = "pem-private-key";
    public const string Bcrypt = "bcrypt-hash";
    public const string SlackWebhook = "slack-webhook-url";
    public const string SlackToken = "slack-token";
    public const string AwsAccessKey = "aws-access-key-id";
    public const string AwsSecretKey = "aws-secret-access-key";
    public const string GitHubToken = "github-token";
    public const string SecretSetting = "high-entropy-secret-setting";

    /// <summary>Below this many bits per character a value reads as words, not as a random secret.</summary>
    public const double MinEntropyBitsPerChar = 3.5;

    /// <summary>The bar for strings of hex digits only.</summary>
    public const double MinHexEntropyBitsPerChar = 3.0;

    public const int MinSecretLength = 16;

    private static readonly (string Rule, Regex Pattern)[] Patterns =
    [
        // RSA, EC, DSA, OPENSSH, ENCRYPTED (PKCS#8) and PGP private keys.
        (PrivateKey, PemRegex()),
        // $2a$/$2b$/$2y$, two-digit cost, 22 salt + 31 hash characters of bcrypt's base64 alphabet (htpasswd -B).
        (Bcrypt, BcryptRegex()),
        // Slack incoming webhooks: /services/T<team>/B<bot>/<secret>; placeholders (XXX/YYY) are too short.
        (SlackWebhook, SlackWebhookRegex()),
        (SlackToken, SlackTokenRegex()),
        (AwsAccessKey, AwsAccessKeyRegex()),
        (AwsSecretKey, AwsSecretKeyRegex()),
        (GitHubToken, GitHubTokenRegex()),
    ];

    /// <summary>Configuration files whose key/value settings are checked for high-entropy secrets.</summary>
    public static bool IsConfigFile(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.StartsWith(".env", StringComparison.Ordinal)
            || Path.GetExtension(name) is ".yml" or ".yaml" or ".json" or ".env" or ".cfg" or ".conf" or ".ini" or ".toml" or ".properties";
    }

    public static IEnumerable<SecretFinding> Scan(string path, string text)
    {
        foreach (var (rule, pattern) in Patterns)
        {
            foreach (Match m in pattern.Matches(text))
            {
                yield return new SecretFinding(path, LineOf(text, m.Index), rule, m.Value);
            }
        }

        if (!IsConfigFile(path))
        {
            yield break;
        }

        foreach (Match m in SettingRegex().Matches(text))
        {
            var value = m.Groups["value"].Value;
            if (LooksRandom(value))
            {
                yield return new SecretFinding(path, LineOf(text, m.Groups["value"].Index), SecretSetting, value);
            }
        }
    }

    /// <summary>
    /// Long and high-entropy, and not a reference (a path, a template, an environment variable, a URL without
    /// credentials). Hex digits carry at most 4 bits per character, so hex strings get a lower bar (as in common
    /// secret scanners): a random 32-digit hex key has about 3.7.
    /// </summary>
    public static bool LooksRandom(string value)
    {
        if (value.Length < MinSecretLength || value.StartsWith('/') || value.StartsWith("./", StringComparison.Ordinal)
            || value.Contains("${", StringComparison.Ordinal) || value.Contains("{{", StringComparison.Ordinal)
            || value.StartsWith('<') || value.StartsWith('$'))
        {
            return false;
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            return UrlCredentialsRegex().IsMatch(value);
        }

        return Entropy(value) >= (value.All(char.IsAsciiHexDigit) ? MinHexEntropyBitsPerChar : MinEntropyBitsPerChar);
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(string s)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in s)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        return -counts.Values.Sum(n => (double)n / s.Length * Math.Log2((double)n / s.Length));
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PemRegex();

    [GeneratedRegex(@"\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}")]
    private static partial Regex BcryptRegex();

    [GeneratedRegex(@"https://hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,}")]
    private static partial Regex SlackWebhookRegex();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9-]{10,}")]
    private static partial Regex SlackTokenRegex();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16}\b")]
    private static partial Regex AwsAccessKeyRegex();

    [GeneratedRegex(@"(?i)aws_?secret_?access_?key[""']?\s*[:=]\s*[""']?(?-i)[A-Za-z0-9/+=]{40}\b")]
    private static partial Regex AwsSecretKeyRegex();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b")]
    private static partial Regex GitHubTokenRegex();

    [GeneratedRegex(@"://[^/@\s:]+:[^/@\s]+@")]
    private static partial Regex UrlCredentialsRegex();

    // key: value / "key": "value" / KEY=value, where the key's last word names a secret (password, client_secret,
    // SLACK_TOKEN, api_key, ...); *_file, *_path, *_type, ... keys end in another word and are not matched.
    [GeneratedRegex("""(?im)["']?(?<key>[A-Za-z0-9_.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|credentials?|auth))["']?[ \t]*[:=][ \t]*["']?(?<value>[^"'\s,#}\]]+)""")]
    private static partial Regex SettingRegex();
}
