using System.Security.Cryptography;
using System.Text;

namespace PerfOtel.Config.Tests.Secrets;

/// <summary>
/// Deliberately fake secrets that tests need as input. Each entry names the file, the rule and the SHA-256 of the
/// exact string (its first 16 hex digits: the list must not itself contain what it allows, or it would be a place
/// to hide a real one), and says why it is harmless. An entry that no longer matches anything fails
/// <c>CommittedSecretsTests</c>, so the list cannot go stale and later cover a real secret in the same file.
/// Hash of a finding: <c>printf '%s' 'STRING' | sha256sum | cut -c1-16</c>.
/// </summary>
public static class SecretAllowList
{
    public static readonly IReadOnlyList<(string Path, string Rule, string Sha256Prefix, string Why)> Entries =
    [
        // The collector must redact label values that look like AWS access key ids: "AKIA" and the alphabet in order.
        ("tests/PerfOtel.Collector.Tests/LabelSafetyTests.cs", SecretScanner.AwsAccessKey, "457643f44d19aed8",
            "fake key id: input of the label redaction test"),

        // The reports CLI must not echo a Slack URL file's content in its error: "xoxb-" and a phrase saying it is fake.
        ("tests/PerfOtel.Reports.Tests/CliTests.cs", SecretScanner.SlackToken, "19514fa975769784",
            "fake token: input of the CLI error-message test"),
    ];

    public static bool Allows(SecretFinding f) => Entries.Any(e => Matches(e, f));

    public static bool Matches((string Path, string Rule, string Sha256Prefix, string Why) entry, SecretFinding f) =>
        entry.Path == f.Path && entry.Rule == f.Rule && entry.Sha256Prefix == HashPrefix(f.Match);

    public static string HashPrefix(string match) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(match)))[..16];
}
