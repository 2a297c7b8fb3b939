namespace PerfOtel.AlertQuality.Rules;

/// <summary>
/// The order in which recording rules can be backfilled: stage 1 reads raw series only, stage n reads records of
/// stages below n. Each stage is queried from a Prometheus that already holds the stages before it (rules of one
/// group that read each other's output in a live evaluation land in different stages here). A rule that reads its
/// own output (an accumulator) cannot be backfilled by querying: see <see cref="SelfReferencing"/>.
/// </summary>
internal sealed class RecordingStages
{
    private RecordingStages(IReadOnlyList<IReadOnlyList<Rule>> stages, IReadOnlySet<string> selfReferencing)
    {
        Stages = stages;
        SelfReferencing = selfReferencing;
    }

    public IReadOnlyList<IReadOnlyList<Rule>> Stages { get; }

    /// <summary>Records whose expression reads the record itself.</summary>
    public IReadOnlySet<string> SelfReferencing { get; }

    /// <param name="rules">The rule set.</param>
    /// <param name="needed">Only these records and what they read (null: every recording rule).</param>
    public static RecordingStages Plan(RuleSet rules, IEnumerable<string>? needed = null)
    {
        var byName = rules.Recording.GroupBy(r => r.Record!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var reads = byName.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.SelectMany(r => RuleSet.Identifiers(r.Expr)).Where(byName.ContainsKey).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        var self = reads.Where(kv => kv.Value.Contains(kv.Key)).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        void Want(string name)
        {
            if (wanted.Add(name))
            {
                foreach (var dep in reads[name])
                {
                    Want(dep);
                }
            }
        }

        foreach (var name in needed ?? byName.Keys)
        {
            if (byName.ContainsKey(name))
            {
                Want(name);
            }
        }

        var stage = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        int StageOf(string name)
        {
            if (stage.TryGetValue(name, out var s))
            {
                return s;
            }

            if (!visiting.Add(name))
            {
                throw new InvalidOperationException($"recording rules read each other in a cycle through {name}");
            }

            s = 1 + reads[name].Where(d => d != name).Select(StageOf).DefaultIfEmpty(0).Max();
            visiting.Remove(name);
            stage[name] = s;
            return s;
        }

        var ordered = rules.Recording.Where(r => wanted.Contains(r.Record!)).ToList();
        var stages = ordered.GroupBy(r => StageOf(r.Record!)).OrderBy(g => g.Key).Select(g => (IReadOnlyList<Rule>)[.. g]).ToList();
        return new RecordingStages(stages, self);
    }

    /// <summary>Records an expression reads directly, any depth below (for "needed" closures).</summary>
    public static IEnumerable<string> RecordsRead(RuleSet rules, string expr)
    {
        var names = rules.Recording.Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);
        return RuleSet.Identifiers(expr).Where(names.Contains).Distinct(StringComparer.Ordinal);
    }
}
