using System.ComponentModel;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Config.Tests;

/// <summary>
/// deploy/kubernetes as <c>kubectl kustomize</c> renders it (once per test run), and YAML helpers for comparing the
/// rendered objects with their sources.
/// </summary>
internal static class KubernetesRender
{
    public const string Namespace = "perfotel";

    public const string RegenerateCommand = "bash deploy/kubernetes/generate.sh";

    private static readonly Lazy<Task<IReadOnlyList<YamlMappingNode>>> Rendered = new(() => RenderAsync(RepoPaths.Of("deploy", "kubernetes")));

    /// <summary>The objects of <c>kubectl kustomize deploy/kubernetes</c>; throws with kubectl's output when it fails.</summary>
    public static Task<IReadOnlyList<YamlMappingNode>> ObjectsAsync() => Rendered.Value;

    public static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(string directory)
    {
        var r = await RunKubectlAsync("kustomize", directory);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} exited with {r.ExitCode}:\n{r.Output}");
        }

        var stream = new YamlStream();
        using (var reader = new StringReader(r.StdOut))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static async Task<ToolResult> RunKubectlAsync(params string[] args)
    {
        try
        {
            return await ToolRun.RunAsync("kubectl", args);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not installed (Debian package kubernetes-client; tests/run.sh installs it): " + e.Message, e);
        }
    }

    public static IEnumerable<YamlMappingNode> OfKind(this IEnumerable<YamlMappingNode> objects, string kind) =>
        objects.Where(o => Str(o, "kind") == kind);

    public static YamlMappingNode Named(this IEnumerable<YamlMappingNode> objects, string kind, string name)
    {
        var matches = objects.OfKind(kind).Where(o => Str(o, "metadata", "name") == name).ToList();
        Assert.True(matches.Count == 1, $"expected one {kind} named {name}, found {matches.Count}");
        return matches[0];
    }

    public static string Name(YamlNode o) => Str(o, "metadata", "name") ?? "";

    /// <summary>The node at a path of mapping keys, or null.</summary>
    public static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Str(YamlNode? node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Seq(YamlNode? node, params string[] path) =>
        At(node, path) is YamlSequenceNode s ? s.Children.ToList() : [];

    public static IReadOnlyDictionary<string, string> StringMap(YamlNode? node, params string[] path) =>
        At(node, path) is YamlMappingNode m
            ? m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => (kv.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>True when every label of <paramref name="selector"/> is in <paramref name="labels"/> with the same value.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public static YamlMappingNode LoadYamlFile(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>
    /// The first difference between two YAML trees as data (mapping order, quoting and block styles ignored; scalars
    /// compared by value), or null when they are equal.
    /// </summary>
    public static string? FirstDifference(YamlNode? expected, YamlNode? actual, string path = "")
    {
        switch (expected, actual)
        {
            case (YamlScalarNode e, YamlScalarNode a):
                return e.Value == a.Value ? null : $"{path}: expected '{e.Value}', found '{a.Value}'";
            case (YamlSequenceNode e, YamlSequenceNode a):
                if (e.Children.Count != a.Children.Count)
                {
                    return $"{path}: expected {e.Children.Count} items, found {a.Children.Count}";
                }

                for (var i = 0; i < e.Children.Count; i++)
                {
                    if (FirstDifference(e.Children[i], a.Children[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case (YamlMappingNode e, YamlMappingNode a):
                var expectedKeys = e.Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? "").Order(StringComparer.Ordinal).ToList();
                var actualKeys = a.Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? "").Order(StringComparer.Ordinal).ToList();
                if (!expectedKeys.SequenceEqual(actualKeys, StringComparer.Ordinal))
                {
                    return $"{path}: expected keys [{string.Join(", ", expectedKeys)}], found [{string.Join(", ", actualKeys)}]";
                }

                foreach (var key in expectedKeys)
                {
                    if (FirstDifference(At(e, key), At(a, key), $"{path}.{key}") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            default:
                return $"{path}: expected a {expected?.NodeType.ToString() ?? "missing node"}, found a {actual?.NodeType.ToString() ?? "missing node"}";
        }
    }
}
