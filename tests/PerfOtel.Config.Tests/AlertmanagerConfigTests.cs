using System.ComponentModel;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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

    /// <summary>
    /// Receivers alone do not show a route that no case reaches (several routes share a receiver): amtool prints the
    /// routing tree and, with --tree, the route each case matched.
    /// </summary>
    [Fact]
    public async Task Every_route_of_the_tree_is_matched_by_a_route_case()
    {
        var tree = await ToolRun.RunAsync("amtool", ["config", "routes", "show", "--config.file=" + ConfigFile]);
        Assert.True(tree.ExitCode == 0, tree.Output);
        var routes = RoutePaths(tree.StdOut);
        Assert.True(routes.Count >= 2, "could not read the routing tree:\n" + tree.Output);

        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var routeCase in ReadRouteCases())
        {
            var result = await ToolRun.RunAsync("amtool", ["config", "routes", "test", "--config.file=" + ConfigFile, "--tree", .. routeCase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)]);
            Assert.True(result.ExitCode == 0, result.Output);
            matched.UnionWith(RoutePaths(result.StdOut));
        }

        var unmatched = routes.Where(r => !matched.Contains(r)).ToList();
        Assert.True(unmatched.Count == 0, $"routes no case in {RoutesTestFile} reaches:\n{string.Join('\n', unmatched)}");
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
        await AssertInhibitionAsync(
            suppressed: [Alert("LLMErrorRatioHigh", "warning", ("gen_ai_provider_name", "openai"), ("gen_ai_request_model", "m"))],
            active:
            [
                Alert("LLMErrorRatioHigh", "critical", ("gen_ai_provider_name", "openai"), ("gen_ai_request_model", "m")),
                Alert("LLMErrorRatioHigh", "warning", ("gen_ai_provider_name", "anthropic"), ("gen_ai_request_model", "m")),
                // Another alert of the same provider and model is not "the same alert".
                Alert("LLMLatencyHigh", "warning", ("gen_ai_provider_name", "openai"), ("gen_ai_request_model", "m")),
            ]);
    }

    /// <summary>A component down silences the alerts that name it, and only those; a warning one never hides a page.</summary>
    [Fact]
    public async Task Component_down_inhibits_the_symptoms_of_that_component_only()
    {
        await AssertInhibitionAsync(
            suppressed:
            [
                Alert("LLMErrorRatioHigh", "warning", ("component", "llm-gateway"), ("gen_ai_provider_name", "openai")),
                Alert("AgentSuccessRatioLow", "critical", ("component", "llm-gateway"), ("gen_ai_agent_name", "planner")),
                Alert("ComponentProbeSlow", "info", ("component", "vector-db")),
            ],
            active:
            [
                Alert("ComponentDown", "critical", ("component", "llm-gateway"), ("probe_kind", "http")),
                Alert("ComponentDown", "warning", ("component", "vector-db"), ("probe_kind", "tcp")),
                // A critical symptom of a component whose ComponentDown is only a warning still pages.
                Alert("AgentRunsFailing", "critical", ("component", "vector-db")),
                Alert("LLMErrorRatioHigh", "warning", ("component", "search-api"), ("gen_ai_provider_name", "openai")),
                Alert("LLMErrorRatioHigh", "warning", ("gen_ai_provider_name", "openai")),
            ]);
    }

    /// <summary>
    /// AlertEscalated (the rules' escalation of a warning still firing, critical, with the warning's labels and
    /// escalated_alertname) silences that warning, so the same problem never pages twice; other instances and other
    /// alerts of the same subject keep their own notifications.
    /// </summary>
    [Fact]
    public async Task Escalation_inhibits_the_warning_it_escalates_and_nothing_else()
    {
        (string, string)[] subject = [("gen_ai_provider_name", "openai"), ("gen_ai_request_model", "gpt-4o")];
        await AssertInhibitionAsync(
            suppressed: [Alert("LLMErrorRatioHigh", "warning", subject)],
            active:
            [
                Alert("AlertEscalated", "critical", [("escalated_alertname", "LLMErrorRatioHigh"), .. subject]),
                Alert("LLMErrorRatioHigh", "warning", ("gen_ai_provider_name", "openai"), ("gen_ai_request_model", "gpt-4o-mini")),
                Alert("LLMLatencyHigh", "warning", subject),
            ]);
    }

    /// <summary>A page for a fast burn makes the slow burn and the forecast of the same agent or budget redundant.</summary>
    [Fact]
    public async Task A_fast_burn_page_inhibits_the_slower_alerts_of_the_same_agent_or_budget()
    {
        (string, string)[] budget = [("budget_scope", "team"), ("budget_name", "payments"), ("budget_period", "daily")];
        await AssertInhibitionAsync(
            suppressed:
            [
                Alert("AgentRunSLOSlowBurn", "warning", ("gen_ai_agent_name", "planner")),
                Alert("BudgetSlowBurn", "warning", budget),
                Alert("BudgetForecastExceeded", "warning", budget),
            ],
            active:
            [
                Alert("AgentRunSLOFastBurn", "critical", ("gen_ai_agent_name", "planner")),
                Alert("AgentRunSLOSlowBurn", "warning", ("gen_ai_agent_name", "executor")),
                Alert("BudgetFastBurn", "critical", budget),
                Alert("BudgetForecastExceeded", "warning", ("budget_scope", "team"), ("budget_name", "payments"), ("budget_period", "monthly")),
            ]);
    }

    /// <summary>The collector down: the alerts on its scrape job and the alert log's failing webhook are that incident.</summary>
    [Fact]
    public async Task Collector_down_inhibits_the_alerts_it_causes()
    {
        await AssertInhibitionAsync(
            suppressed:
            [
                Alert("TargetDown", "warning", ("job", "perfotel-collector"), ("instance", "collector:8080")),
                Alert("AlertmanagerNotificationsFailing", "warning", ("integration", "webhook")),
            ],
            active:
            [
                Alert("PerfOtelCollectorDown", "critical", ("job", "perfotel-collector"), ("instance", "collector:8080")),
                Alert("TargetDown", "warning", ("job", "node"), ("instance", "node-exporter:9100")),
                Alert("AlertmanagerNotificationsFailing", "warning", ("integration", "email")),
            ]);
    }

    /// <summary>
    /// Every warning rule can escalate (the rules escalate any warning still firing after warning_escalation_seconds),
    /// so every warning alert in prometheus/rules/ needs its escalation inhibit rule: otherwise the warning and its
    /// escalation both notify.
    /// </summary>
    [Fact]
    public void Every_warning_alert_has_an_escalation_inhibit_rule()
    {
        var warnings = Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml")
            .SelectMany(f => Seq(LoadYaml(f), "groups").SelectMany(g => Seq(g, "rules")))
            .Where(r => Str(r, "alert") is not null && Str(Child(r, "labels"), "severity") == "warning")
            .Select(r => Str(r, "alert")!)
            .ToHashSet(StringComparer.Ordinal);
        var escalations = Seq(LoadYaml(ConfigFile), "inhibit_rules")
            .Where(r => Matchers(r, "source_matchers").Contains("alertname=\"AlertEscalated\""))
            .Select(r => (
                Source: Matchers(r, "source_matchers").Select(m => Regex.Match(m, "^escalated_alertname=\"(.+)\"$")).FirstOrDefault(m => m.Success)?.Groups[1].Value,
                Target: Matchers(r, "target_matchers"),
                Equal: Seq(r, "equal").Select(e => ((YamlScalarNode)e).Value).ToHashSet(StringComparer.Ordinal)))
            .ToList();

        Assert.NotEmpty(warnings);
        var missing = warnings.Where(w => !escalations.Any(e => e.Source == w
            && e.Target.Contains($"alertname=\"{w}\"") && e.Target.Contains("severity=\"warning\"")))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"warning alerts without an AlertEscalated inhibit rule in {ConfigFile} (add one like the others): {string.Join(", ", missing)}");

        // An escalation must silence its own warning only, not another instance of it: every label an alert can
        // keep (the labels of every by/group_left/group_right in the rules, plus job and instance from the scrape)
        // is compared.
        var kept = Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml")
            .SelectMany(f => Seq(LoadYaml(f), "groups").SelectMany(g => Seq(g, "rules")))
            .Select(r => Str(r, "expr") ?? "")
            .SelectMany(expr => Regex.Matches(expr, @"\b(?:by|group_left|group_right)\s*\(([^)]*)\)").Select(m => m.Groups[1].Value))
            .SelectMany(list => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Append("job").Append("instance")
            .Where(l => l != "le")
            .ToHashSet(StringComparer.Ordinal);
        foreach (var e in escalations)
        {
            var uncompared = kept.Except(e.Equal).Order(StringComparer.Ordinal).ToList();
            Assert.True(uncompared.Count == 0, $"the AlertEscalated inhibit rule of {e.Source} does not compare {string.Join(", ", uncompared)} (add them to its equal list)");
        }
    }

    private static Dictionary<string, string> Alert(string name, string severity, params (string Key, string Value)[] labels)
    {
        var all = labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        all["alertname"] = name;
        all["severity"] = severity;
        return all;
    }

    private static string Describe(IReadOnlyDictionary<string, string> labels) =>
        "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";

    /// <summary>
    /// Posts all alerts to a real Alertmanager on the committed config and waits until every expected one is
    /// reported suppressed and the others active (inhibition is evaluated when the API is asked).
    /// </summary>
    private static async Task AssertInhibitionAsync(Dictionary<string, string>[] suppressed, Dictionary<string, string>[] active)
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

            var expected = suppressed.Select(l => (Key: Describe(l), State: "suppressed"))
                .Concat(active.Select(l => (Key: Describe(l), State: "active")))
                .ToDictionary(e => e.Key, e => e.State, StringComparer.Ordinal);
            using var post = await http.PostAsJsonAsync("/api/v2/alerts", suppressed.Concat(active).Select(l => new { labels = l }).ToArray(), ct);
            Assert.True(post.IsSuccessStatusCode, $"POST /api/v2/alerts: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync(ct)}");

            var states = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(200, ct))
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts", ct));
                states = doc.RootElement.EnumerateArray().ToDictionary(
                    a => Describe(a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)),
                    a => a.GetProperty("status").GetProperty("state").GetString() ?? "",
                    StringComparer.Ordinal);
                if (expected.All(e => states.GetValueOrDefault(e.Key) == e.Value))
                {
                    return;
                }
            }

            var wrong = expected.Where(e => states.GetValueOrDefault(e.Key) != e.Value)
                .Select(e => $"{e.Key}: expected {e.Value}, is {states.GetValueOrDefault(e.Key) ?? "missing"}");
            Assert.Fail("inhibition is not as expected:\n" + string.Join("\n", wrong) + "\n" + am.RecentOutput);
        }
        finally
        {
            await am.DisposeAsync();
            storage.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The routes in amtool's tree output ("routes show", or "routes test --tree"), each as the path from the root:
    /// ancestors by matcher, the route itself with its receiver (the only lines that name one in --tree output).
    /// </summary>
    private static List<string> RoutePaths(string amtoolOutput)
    {
        var paths = new List<string>();
        var ancestors = new List<string>();
        foreach (var line in amtoolOutput.Split('\n').Select(l => l.TrimEnd()))
        {
            var start = 0;
            while (start < line.Length && " \u00a0\u2502\u251c\u2514\u2500".Contains(line[start], StringComparison.Ordinal))
            {
                start++;
            }

            // Headers, the "." root and the plain receiver list start in column 0. amtool indents with no-break spaces.
            if (start == 0 || start == line.Length)
            {
                continue;
            }

            var depth = start / 4;
            var text = line[start..];
            var name = Regex.Replace(text, @"\s+receiver: \S+$", "");
            if (ancestors.Count >= depth)
            {
                ancestors.RemoveRange(depth - 1, ancestors.Count - depth + 1);
            }

            if (text.Contains("receiver: ", StringComparison.Ordinal))
            {
                paths.Add(string.Join(" / ", ancestors.Append(text)));
            }

            ancestors.Add(name);
        }

        return paths;
    }

    private static IEnumerable<YamlNode> Seq(YamlNode? node, string key) =>
        Child(node, key) is YamlSequenceNode s ? s.Children : [];

    private static string? Str(YamlNode? node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static List<string> Matchers(YamlNode rule, string key) =>
        Seq(rule, key).Select(m => ((YamlScalarNode)m).Value ?? "").ToList();

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
