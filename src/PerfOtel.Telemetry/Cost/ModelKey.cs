namespace PerfOtel.Telemetry.Cost;

/// <summary>Provider and model, compared ordinally ignoring case (<c>GPT-4o</c> is priced like <c>gpt-4o</c>).</summary>
internal readonly record struct ModelKey(string Provider, string Model)
{
    public static IEqualityComparer<ModelKey> Comparer { get; } = new IgnoreCaseComparer();

    private sealed class IgnoreCaseComparer : IEqualityComparer<ModelKey>
    {
        public bool Equals(ModelKey x, ModelKey y) =>
            string.Equals(x.Provider, y.Provider, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.Model, y.Model, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(ModelKey obj) => HashCode.Combine(
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider),
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model));
    }
}
