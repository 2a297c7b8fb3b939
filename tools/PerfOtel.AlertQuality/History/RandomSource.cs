namespace PerfOtel.AlertQuality.History;

/// <summary>
/// Seeded randomness for one entity of the history. The stream depends only on the seed and the entity's name
/// (FNV-1a, not string.GetHashCode, which changes per process), so adding an agent or an option does not change the
/// others' traffic.
/// </summary>
internal sealed class RandomSource
{
    private readonly Random random;
    private double? spareNormal;

    public RandomSource(int seed, string stream) => random = new Random(StableHash(seed, stream));

    public static int StableHash(int seed, string text)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7fffffff);
    }

    public double Uniform() => random.NextDouble();

    public double Uniform(double min, double max) => min + ((max - min) * random.NextDouble());

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public bool Chance(double p) => random.NextDouble() < p;

    public double Normal()
    {
        if (spareNormal is { } spare)
        {
            spareNormal = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (random.NextDouble() * 2) - 1;
            v = (random.NextDouble() * 2) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        spareNormal = v * f;
        return u * f;
    }

    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>Poisson draw (Knuth for small means, a rounded normal for large ones).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 40)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal())));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}

/// <summary>Slow multiplicative noise: exp of an AR(1) process with the given stationary sd and time constant.</summary>
internal sealed class SlowNoise(RandomSource random, double sigma, double tauSeconds, int stepSeconds)
{
    private readonly double phi = Math.Exp(-stepSeconds / tauSeconds);
    private double x = sigma * random.Normal();

    public double Next()
    {
        x = (phi * x) + (sigma * Math.Sqrt(1 - (phi * phi)) * random.Normal());
        return Math.Exp(x);
    }

    /// <summary>The additive form (the AR(1) value itself).</summary>
    public double NextAdditive()
    {
        x = (phi * x) + (sigma * Math.Sqrt(1 - (phi * phi)) * random.Normal());
        return x;
    }
}
