using System.ComponentModel;
using System.Net.Http.Json;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Config.Tests;

/// <summary>
/// deploy/alertmanager/: the routing config checked with the real amtool, one route case per line of routes-test.txt,
/// and the inhibit rule checked on a real Alertmanager.
/// </summary>
public class AlertmanagerConfigTests
{
    private static readonly string ConfigFile = RepoPaths.Of("deploy", "alertmanager", "alertmanager.yml");
    private static readonly string RoutesTestFile = RepoPaths.Of("deploy", "alertmanager", "routes-test.txt");

    /// <summary>Each case: "&lt;expected receiver&gt; label=value ...".</summary>
    public static TheoryData<string> RouteCases => new(ReadRouteCases());

    [Fact]
    public async Task Alertmanager_config_passes_amtool_check_config()
    {
        await RunAmtoolAsync("check-config", ConfigFile);
    }

    [Theory]
    [MemberData(nameof(RouteCases))]
    public async Task Route_case_resolves_to_expected_receiver(string routeCase)
    {
        var parts = routeCase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(parts.Length >= 2 && parts.Skip(1).All(p => p.Contains('=', StringComparison.Ordinal)), $"malformed route case '{routeCase}' in {RoutesTestFile}");

        await RunAmtoolAsync(["config", "routes", "test", "--config.file=" + ConfigFile, "--verify.receivers=" + parts[0], .. parts.Skip(1)]);
    }

    [Fact]
    public void Route_cases_cover_every_receiver_used_by_a_route()
    {
        var root = LoadYaml(ConfigFile);
        var routed = RouteReceivers(Child(root, "route")).ToHashSet(StringComparer.Ordinal);
        var tested = ReadRouteCases().Select(c => c.Split(' ', 2)[0]).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(routed);
        var untested = routed.Except(tested).Order(StringComparer.Ordinal).ToList();
        Assert.True(untested.Count == 0, $"receivers used by a route but never expected in {RoutesTestFile}: {string.Join(", ", untested)}");
    }

    [Fact]
    public void Alertmanager_config_reads_secrets_only_from_files()
    {
        // Key names whose value would be the secret itself; the *_file variants are the allowed ones.
        string[] inlineSecretKeys = ["api_url", "slack_api_url", "auth_password", "smtp_auth_password", "credentials", "password", "bearer_token", "auth_secret", "smtp_auth_secret"];
        var found = new List<string>();
        Walk(LoadYaml(ConfigFile), "", (path, key) =>
        {
            if (inlineSecretKeys.Contains(key))
            {
                found.Add(path);
            }
        });

        Assert.True(found.Count == 0, "inline secrets in alertmanager.yml (use the *_file settings): " + string.Join(", ", found));
    }

    /// <summary>
    /// Starts Alertmanager on the committed config as is: the secret files do not exist on a test machine, and that
    /// must not stop it (they are read when a notification is sent). amtool cannot evaluate inhibit rules, so this
    /// posts a critical and two warnings of one alert and asks the API which ones are inhibited.
    /// </summary>
    [Fact]
    public async Task Critical_alert_inhibits_the_warning_of_the_same_alert_and_provider()
    {
        var port = FreePort.Next();
        var storage = Directory.CreateTempSubdirectory("perfotel-am-");
        var binary = FindOnPath("prometheus-alertmanager", "alertmanager")
            ?? throw new InvalidOperationException("Alertmanager is not installed (Debian package prometheus-alertmanager; tests/run.sh installs it)");
        var url = $"http://127.0.0.1:{port}";
        var am = BackgroundProcess.Start("alertmanager", binary, [
            "--config.file=" + ConfigFile, "--storage.path=" + storage.FullName, $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", "--web.external-url=" + url]);
        try
        {
            var ct = TestContext.Current.CancellationToken;
            await am.WaitForHttpOkAsync(url + "/-/ready", TimeSpan.FromSeconds(20));
            using var http = new HttpClient { BaseAddress = new Uri(url) };

            object Alert(string severity, string provider) => new
            {
                labels = new Dictionary<string, string>
                {
                    ["alertname"] = "LLMErrorRatioHigh",
                    ["severity"] = severity,
                    ["gen_ai_provider_name"] = provider,
                    ["gen_ai_request_model"] = "m",
                },
            };
            using var post = await http.PostAsJsonAsync("/api/v2/alerts", new[] { Alert("critical", "openai"), Alert("warning", "openai"), Alert("warning", "anthropic") }, ct);
            Assert.True(post.IsSuccessStatusCode, $"POST /api/v2/alerts: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync(ct)}");

            var states = new Dictionary<string, string>();
            for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(200, ct))
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts", ct));
                states = doc.RootElement.EnumerateArray().ToDictionary(
                    a => a.GetProperty("labels").GetProperty("severity").GetString() + "/" + a.GetProperty("labels").GetProperty("gen_ai_provider_name").GetString(),
                    a => a.GetProperty("status").GetProperty("state").GetString() ?? "");
                if (states.GetValueOrDefault("warning/openai") == "suppressed")
                {
                    break;
                }
            }

            var seen = string.Join(", ", states.Select(kv => $"{kv.Key}={kv.Value}"));
            Assert.True(states.GetValueOrDefault("critical/openai") == "active", seen);
            Assert.True(states.GetValueOrDefault("warning/openai") == "suppressed", "the warning of the same provider is not inhibited: " + seen + "\n" + am.RecentOutput);
            Assert.True(states.GetValueOrDefault("warning/anthropic") == "active", "a warning of another provider is inhibited: " + seen);
        }
        finally
        {
            await am.DisposeAsync();
            storage.Delete(recursive: true);
        }
    }

    private static async Task RunAmtoolAsync(params string[] args)
    {
        ToolResult result;
        try
        {
            result = await ToolRun.RunAsync("amtool", args);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("amtool is not installed (Debian package prometheus-alertmanager; tests/run.sh installs it): " + e.Message, e);
        }

        Assert.True(result.ExitCode == 0, $"amtool {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}");
    }

    private static string[] ReadRouteCases() =>
        File.ReadAllLines(RoutesTestFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static IEnumerable<string> RouteReceivers(YamlNode? route)
    {
        if (route is not YamlMappingNode map)
        {
            yield break;
        }

        if (Child(map, "receiver") is YamlScalarNode { Value: { } receiver })
        {
            yield return receiver;
        }

        if (Child(map, "routes") is YamlSequenceNode children)
        {
            foreach (var r in children.SelectMany(RouteReceivers))
            {
                yield return r;
            }
        }
    }

    private static void Walk(YamlNode node, string path, Action<string, string> onKey)
    {
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "";
                    onKey(path + "/" + key, key);
                    Walk(v, path + "/" + key, onKey);
                }

                break;
            case YamlSequenceNode s:
                for (var i = 0; i < s.Children.Count; i++)
                {
                    Walk(s.Children[i], $"{path}[{i}]", onKey);
                }

                break;
        }
    }

    private static string? FindOnPath(params string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(n => Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static YamlMappingNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
