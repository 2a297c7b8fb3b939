namespace PerfOtel.DemoFleet.Fleet;

/// <summary>A model an agent calls; provider and model names are those of deploy/pricing/catalog.json, so calls are priced.</summary>
public sealed record ModelChoice(string Provider, string Model, string ResponseModel, double TokensPerSecond, bool Reasons = false);

/// <summary>One simulated agent: who it works for, how often and how long it runs, what it calls.</summary>
public sealed record AgentProfile(
    string Name,
    string Team,
    string Queue,
    ModelChoice Model,
    double Share,
    double TypicalRunSeconds,
    int MinLlmCalls,
    int MaxLlmCalls,
    double TypicalInputTokens,
    double TypicalOutputTokens,
    double CacheShare,
    IReadOnlyList<string> Tools,
    bool DeliversLines);

/// <summary>A work queue and the executors that serve it.</summary>
public sealed record QueueProfile(string Name, int Executors, double ArrivalsPerMinute);

/// <summary>
/// The simulated fleet: three teams, eight agents, seven priced models (and one self-hosted model that has no price,
/// so the unpriced-tokens panel has something to show), five tools behind three components, three queues.
/// </summary>
public static class FleetModel
{
    public static readonly ModelChoice Gpt4o = new("openai", "gpt-4o", "gpt-4o-2024-08-06", 90);
    public static readonly ModelChoice Gpt4oMini = new("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", 140);
    public static readonly ModelChoice Gpt41Mini = new("openai", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 120);
    public static readonly ModelChoice O3 = new("openai", "o3", "o3-2025-04-16", 60, Reasons: true);
    public static readonly ModelChoice ClaudeSonnet = new("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", 70);
    public static readonly ModelChoice ClaudeHaiku = new("anthropic", "claude-3-5-haiku", "claude-3-5-haiku-20241022", 150);
    public static readonly ModelChoice GeminiFlash = new("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", 180);
    public static readonly ModelChoice GeminiPro = new("gcp.gemini", "gemini-2.5-pro", "gemini-2.5-pro", 80, Reasons: true);

    /// <summary>Self-hosted: deliberately absent from the pricing catalog.</summary>
    public static readonly ModelChoice SelfHosted = new("self-hosted", "llama-3.1-70b", "llama-3.1-70b-instruct", 40);

    public static readonly IReadOnlyList<AgentProfile> Agents =
    [
        new("planner", "payments", "tickets", Gpt4o, 0.16, 45, 2, 5, 2500, 450, 0.5, ["ticket_api", "vector_search"], false),
        new("coder", "payments", "tickets", ClaudeSonnet, 0.20, 240, 4, 10, 6000, 900, 0.6, ["code_exec", "git", "web_search"], true),
        new("researcher", "search", "crawl", GeminiFlash, 0.16, 120, 3, 8, 9000, 700, 0.3, ["web_search", "vector_search"], false),
        new("summarizer", "search", "crawl", Gpt4oMini, 0.14, 20, 1, 3, 4000, 350, 0.2, ["vector_search"], false),
        new("reviewer", "platform", "reviews", ClaudeHaiku, 0.12, 60, 2, 4, 5000, 300, 0.5, ["git"], false),
        new("triage", "platform", "reviews", Gpt41Mini, 0.12, 15, 1, 2, 1500, 150, 0.1, ["ticket_api"], false),
        new("reasoner", "platform", "reviews", O3, 0.06, 300, 2, 5, 7000, 2500, 0.4, ["code_exec"], false),
        new("local-runner", "platform", "reviews", SelfHosted, 0.04, 90, 1, 3, 3000, 400, 0, ["code_exec"], true),
    ];

    public static readonly IReadOnlyList<QueueProfile> Queues =
    [
        new("tickets", 6, 12),
        new("crawl", 4, 8),
        new("reviews", 5, 10),
    ];

    /// <summary>Components the collector probes (GET /components/NAME/health on the fleet's health endpoint).</summary>
    public static readonly IReadOnlyList<string> Components = ["tool-gateway", "vector-store", "model-proxy"];

    /// <summary>Which component each tool depends on.</summary>
    public static string ComponentOf(string tool) => tool switch
    {
        "web_search" or "ticket_api" => "tool-gateway",
        "vector_search" => "vector-store",
        _ => "model-proxy",
    };

    public static readonly IReadOnlyList<string> Environments = ["prod", "staging"];

    /// <summary>The incidents' targets: fixed, so that an operator knows where to look.</summary>
    public static class Targets
    {
        public static readonly ModelChoice ErrorSpikeModel = ClaudeSonnet;
        public const string SlowPhaseTeam = "payments";
        public const string SlowPhase = "execute";
        public const string CostSpikeAgent = "researcher";
        public static readonly ModelChoice CostSpikeModel = GeminiPro;
        public const string DownComponent = "tool-gateway";
        public const string StarvedQueue = "tickets";
    }
}
