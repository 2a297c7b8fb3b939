using System.Security.Cryptography;
using PerfOtel.Config.Tests.Secrets;

namespace PerfOtel.Config.Tests;

/// <summary>
/// No private key, password hash or token is committed: every file git would commit is scanned
/// (<see cref="SecretScanner"/>); deliberately fake test inputs are allow-listed by name (<see cref="SecretAllowList"/>).
/// The scanner is proven on secrets generated here and never written into the repository.
/// </summary>
public class CommittedSecretsTests
{
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string BcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Planted secrets: the file they are written to, its content (random at every run) and the rule that must fire.</summary>
    public static TheoryData<string> PlantedKinds => [.. Planted.Keys];

    private static readonly Dictionary<string, (string File, Func<string> Content, string Rule)> Planted = new()
    {
        ["rsa-pem"] = ("keys/server.key", () => { using var k = RSA.Create(2048); return k.ExportRSAPrivateKeyPem(); }, SecretScanner.PrivateKey),
        ["ec-pkcs8-pem"] = ("deploy/tls/key.pem", () => { using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256); return k.ExportPkcs8PrivateKeyPem(); }, SecretScanner.PrivateKey),
        ["encrypted-pkcs8-pem"] = ("notes.md", () =>
        {
            using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return "key:\n" + k.ExportEncryptedPkcs8PrivateKeyPem(Rand(Alnum, 12), new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        }, SecretScanner.PrivateKey),
        // Header split in two: this file is scanned too.
        ["openssh-pem"] = ("id_ed25519", () => "-----BEGIN OPENSSH " + $"PRIVATE KEY-----\n{Rand(Base64Url, 70)}\n-----END OPENSSH PRIVATE KEY-----\n", SecretScanner.PrivateKey),
        ["bcrypt-in-htpasswd"] = ("deploy/production/web.htpasswd", () => $"admin:$2y$10${Rand(BcryptAlphabet, 53)}\n", SecretScanner.Bcrypt),
        ["bcrypt-in-yaml"] = ("deploy/production/web.yml", () => $"basic_auth_users:\n  admin: $2b$12${Rand(BcryptAlphabet, 53)}\n", SecretScanner.Bcrypt),
        ["slack-webhook"] = ("deploy/alertmanager/receivers.yml", () => $"slack_configs:\n  - api_url: https://hooks.slack.com/services/T{Rand(Upper, 9)}/B{Rand(Upper, 10)}/{Rand(Alnum, 24)}\n", SecretScanner.SlackWebhook),
        ["slack-bot-token"] = ("src/Notify.cs", () => $"var token = \"xoxb-{Rand("0123456789", 12)}-{Rand("0123456789", 13)}-{Rand(Alnum, 24)}\";\n", SecretScanner.SlackToken),
        ["slack-user-token"] = ("docs/notes.md", () => $"use xoxp-{Rand("0123456789", 12)}-{Rand("0123456789", 12)}-{Rand("abcdef0123456789", 32)}\n", SecretScanner.SlackToken),
        ["aws-access-key-id"] = ("scripts/upload.sh", () => $"export AWS_ACCESS_KEY_ID=AKIA{Rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}\n", SecretScanner.AwsAccessKey),
        ["aws-secret-access-key"] = ("scripts/credentials", () => $"[default]\naws_secret_access_key = {Rand(Alnum + "/+", 40)}\n", SecretScanner.AwsSecretKey),
        ["github-token"] = ("ci/publish.sh", () => $"GH_TOKEN=ghp_{Rand(Alnum, 36)} gh release create\n", SecretScanner.GitHubToken),
        ["yaml-password"] = ("deploy/alertmanager/alertmanager.yml", () => $"global:\n  smtp_auth_password: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}\n", SecretScanner.SecretSetting),
        ["json-api-key"] = ("deploy/pricing/settings.json", () => $"{{\n  \"api_key\": \"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}\"\n}}\n", SecretScanner.SecretSetting),
        ["env-token"] = (".env", () => $"PERFOTEL_INGEST_TOKEN={Rand(Alnum, 32)}\n", SecretScanner.SecretSetting),
        ["compose-env-secret"] = ("docker-compose.prod.yml", () => $"services:\n  grafana:\n    environment:\n      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: \"{Rand(Base64Url, 40)}\"\n", SecretScanner.SecretSetting),
    };

    [Fact]
    public async Task No_file_that_git_would_commit_holds_a_private_key_hash_or_token()
    {
        var (files, source) = await RepoFiles.ListAsync(RepoPaths.Root);
        // Guard: a scan of nothing cannot fail. The repository has hundreds of files, and these among them.
        Assert.True(files.Count > 100, $"{source} listed only {files.Count} files");
        Assert.Contains("deploy/alertmanager/alertmanager.yml", files);
        Assert.Contains("docker-compose.yml", files);

        var findings = ScanFiles(RepoPaths.Root, files).Where(f => !SecretAllowList.Allows(f)).ToList();
        Assert.True(findings.Count == 0,
            $"secret-looking strings in {findings.Count} places ({source}); remove them, generate them at install or test time, " +
            "or, for a deliberately fake test input, add a commented entry to tests/PerfOtel.Config.Tests/Secrets/SecretAllowList.cs:\n" +
            string.Join('\n', findings));
    }

    [Fact]
    public async Task Every_allow_list_entry_still_matches_a_finding()
    {
        var (files, _) = await RepoFiles.ListAsync(RepoPaths.Root);
        var findings = ScanFiles(RepoPaths.Root, files).ToList();
        var stale = SecretAllowList.Entries
            .Where(e => !findings.Any(f => SecretAllowList.Matches(e, f)))
            .Select(e => $"{e.Path}: {e.Rule}: {e.Sha256Prefix} ({e.Why})")
            .ToList();
        Assert.True(stale.Count == 0, "allow-list entries that match nothing any more (delete them):\n" + string.Join('\n', stale));
    }

    [Theory]
    [MemberData(nameof(PlantedKinds))]
    public void A_planted_secret_is_caught(string kind)
    {
        var (file, content, rule) = Planted[kind];
        var dir = Directory.CreateTempSubdirectory("perfotel-secrets-").FullName;
        try
        {
            var path = Path.Combine(dir, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "# a file of the project\nname: example\n" + content());

            // The same path as the repository scan: the walk used when there is no git checkout, then the scanner.
            var files = RepoFiles.Walk(dir);
            var findings = ScanFiles(dir, files).ToList();
            Assert.Contains(findings, f => f.Path == file && f.Rule == rule);
            Assert.DoesNotContain(findings, SecretAllowList.Allows);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_real_bcrypt_hash_from_htpasswd_is_caught()
    {
        // htpasswd (apache2-utils) is what an operator would use to make the hash for Prometheus' web config.
        ToolResult r;
        try
        {
            r = await ToolRun.RunAsync("htpasswd", ["-nbB", "-C", "5", "admin", Rand(Alnum, 16)]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("htpasswd (apache2-utils) is not installed; the bcrypt shape is still checked by A_planted_secret_is_caught");
            return;
        }

        Assert.Equal(0, r.ExitCode);
        var findings = SecretScanner.Scan("deploy/production/web.yml", "basic_auth_users:\n  " + r.StdOut.Trim().Replace(":", ": ", StringComparison.Ordinal) + "\n").ToList();
        Assert.Contains(findings, f => f.Rule == SecretScanner.Bcrypt);
    }

    [Theory]
    [InlineData("alertmanager.yml", "  credentials_file: /run/perfotel/api-key")]
    [InlineData("alertmanager.yml", "  smtp_auth_password_file: /run/perfotel/alertmanager/smtp_password")]
    [InlineData("alertmanager.yml", "  api_url_file: /run/perfotel/alertmanager/slack_api_url")]
    [InlineData("docker-compose.yml", "      GF_SECURITY_ADMIN_PASSWORD__FILE: /run/secrets/grafana/admin_password")]
    [InlineData("docker-compose.yml", "      SMTP_PASSWORD: ${SMTP_PASSWORD}")]
    [InlineData("values.yml", "api_key: \"{{ .Values.apiKey }}\"")]
    [InlineData("values.yml", "token: <your-token-here>")]
    [InlineData("values.yml", "password: changeme")]
    [InlineData("receivers.yml", "api_url: https://hooks.slack.com/services/XXX/YYY/ZZZ")]
    [InlineData("rules.yml", "  - record: gen_ai_token_type:gen_ai_client_tokens:rate5m")]
    [InlineData("settings.json", "\"MaxTokens\": 4096, \"tokenizer\": \"cl100k_base\"")]
    [InlineData("README.md", "Authorization: Bearer $(cat .run/secrets/api-key)")]
    public void References_placeholders_and_metric_names_are_not_secrets(string file, string line)
    {
        Assert.Empty(SecretScanner.Scan(file, line + "\n"));
    }

    private static IEnumerable<SecretFinding> ScanFiles(string root, IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var text = RepoFiles.ReadText(Path.Combine(root, file));
            if (text is null)
            {
                continue;
            }

            foreach (var f in SecretScanner.Scan(file, text))
            {
                yield return f;
            }
        }
    }

    private static string Rand(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}
