using System.Globalization;
using System.Text.Json;

namespace PerfOtel.Collector.Budgets;

/// <summary>Reads and validates budgets from the configuration section or from a budgets file.</summary>
public static class BudgetParser
{
    /// <summary>The configuration section: a list of budgets, or <c>File</c>.</summary>
    public const string Section = "PerfOtel:Budgets";

    /// <summary>Longest budget name; matches the ingest API's default label length limit.</summary>
    public const int MaxNameLength = 128;

    private static readonly string[] EntryKeys = ["Scope", "Name", "Period", "LimitUsd"];

    /// <summary>The <c>File</c> setting of the section, or null when budgets are inline.</summary>
    public static string? FilePath(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var file = configuration[Section + ":File"];
        return string.IsNullOrWhiteSpace(file) ? null : file;
    }

    /// <summary>Budgets listed inline in the section (<c>PerfOtel:Budgets:0:Scope</c>, ...).</summary>
    /// <exception cref="BudgetsException">Every problem, each naming its setting.</exception>
    public static IReadOnlyList<Budget> FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var budgets = new List<Budget>();
        var hasFile = FilePath(configuration) is not null;
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var at = entry.Path;
            if (string.Equals(entry.Key, "File", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"{at}: unknown setting (expected list entries {Section}:0, {Section}:1, ... or {Section}:File)");
                continue;
            }

            if (hasFile)
            {
                problems.Add($"{at}: inline budgets and {Section}:File are exclusive; keep one");
                break;
            }

            foreach (var key in entry.GetChildren())
            {
                if (!EntryKeys.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{key.Path}: unknown setting (expected {string.Join(", ", EntryKeys)})");
                }
            }

            double? limit = null;
            var limitText = entry["LimitUsd"];
            if (limitText is not null)
            {
                if (double.TryParse(limitText, NumberStyles.Float, CultureInfo.InvariantCulture, out var l))
                {
                    limit = l;
                }
                else
                {
                    problems.Add($"{at}:LimitUsd: '{limitText}' is not a number");
                    continue;
                }
            }

            Add(budgets, problems, at + ":", Fields.Configuration, entry["Scope"], entry["Name"], entry["Period"], limit);
        }

        CheckDuplicates(budgets, problems);
        return problems.Count > 0 ? throw new BudgetsException($"configuration section {Section}", problems) : budgets;
    }

    /// <summary>Budgets of a budgets file's bytes.</summary>
    /// <exception cref="BudgetsException">Malformed JSON or every validation problem, each naming its field.</exception>
    public static IReadOnlyList<Budget> FromFile(ReadOnlySpan<byte> utf8Json, string path)
    {
        var source = $"file {path}";
        BudgetsFileDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(utf8Json, BudgetsJsonContext.Default.BudgetsFileDocument);
        }
        catch (JsonException e)
        {
            throw new BudgetsException(source, ["malformed JSON: " + e.Message], e);
        }

        if (doc?.Budgets is null)
        {
            throw new BudgetsException(source, ["budgets: required (a list, empty for no budgets)"]);
        }

        var problems = new List<string>();
        var budgets = new List<Budget>();
        for (var i = 0; i < doc.Budgets.Count; i++)
        {
            var e = doc.Budgets[i];
            if (e is null)
            {
                problems.Add($"budgets[{i}]: null entry");
                continue;
            }

            Add(budgets, problems, $"budgets[{i}].", Fields.File, e.Scope, e.Name, e.Period, e.LimitUsd);
        }

        CheckDuplicates(budgets, problems);
        return problems.Count > 0 ? throw new BudgetsException(source, problems) : budgets;
    }

    private static void Add(
        List<Budget> budgets,
        List<string> problems,
        string at,
        Fields f,
        string? scopeText,
        string? name,
        string? periodText,
        double? limit)
    {
        var before = problems.Count;
        BudgetScope scope = default;
        BudgetPeriod period = default;
        if (string.IsNullOrWhiteSpace(scopeText))
        {
            problems.Add($"{at}{f.Scope}: required (team or agent)");
        }
        else if (!TryParseName(scopeText, out scope))
        {
            problems.Add($"{at}{f.Scope}: '{scopeText}' is not one of team, agent");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{at}{f.Name}: required (the team or agent name)");
        }
        else if (name.Trim().Length != name.Length || name.Length > MaxNameLength)
        {
            problems.Add($"{at}{f.Name}: '{name}' must have no leading or trailing spaces and at most {MaxNameLength} characters");
        }

        if (string.IsNullOrWhiteSpace(periodText))
        {
            problems.Add($"{at}{f.Period}: required (daily or monthly)");
        }
        else if (!TryParseName(periodText, out period))
        {
            problems.Add($"{at}{f.Period}: '{periodText}' is not one of daily, monthly");
        }

        if (limit is null)
        {
            problems.Add($"{at}{f.Limit}: required (USD)");
        }
        else if (!double.IsFinite(limit.Value) || limit.Value <= 0)
        {
            problems.Add($"{at}{f.Limit}: {limit.Value.ToString(CultureInfo.InvariantCulture)} must be a positive amount of USD");
        }

        if (problems.Count == before)
        {
            budgets.Add(new Budget(scope, name!, period, limit!.Value));
        }
    }

    /// <summary>How the four fields are spelled in each source.</summary>
    private sealed record Fields(string Scope, string Name, string Period, string Limit)
    {
        public static readonly Fields Configuration = new("Scope", "Name", "Period", "LimitUsd");
        public static readonly Fields File = new("scope", "name", "period", "limit_usd");
    }

    // Enum names only: Enum.TryParse would also accept numbers ("0") and comma lists.
    private static bool TryParseName<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static void CheckDuplicates(List<Budget> budgets, List<string> problems)
    {
        foreach (var g in budgets.GroupBy(b => (b.Scope, b.Name, b.Period)).Where(g => g.Count() > 1))
        {
            problems.Add($"{g.Count()} budgets for {g.Key.Scope.ToAttribute()} '{g.Key.Name}' {g.Key.Period.ToAttribute()}; keep one");
        }
    }
}
