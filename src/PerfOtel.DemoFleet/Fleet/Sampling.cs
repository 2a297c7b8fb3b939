namespace PerfOtel.DemoFleet.Fleet;

/// <summary>The few distributions a plausible fleet needs.</summary>
internal static class Sampling
{
    /// <summary>Poisson count with mean <paramref name="mean"/> (normal approximation above 30).</summary>
    public static int Poisson(this Random rng, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * rng.Normal())));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = rng.NextDouble();
        while (p > limit && k < 1000)
        {
            k++;
            p *= rng.NextDouble();
        }

        return k;
    }

    public static double Normal(this Random rng)
    {
        // Box-Muller; 1 - U keeps the logarithm's argument above zero.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal with the given median: durations and token counts are skewed to the right.</summary>
    public static double LogNormal(this Random rng, double median, double sigma) => median * Math.Exp(sigma * rng.Normal());

    public static bool Chance(this Random rng, double p) => rng.NextDouble() < p;

    public static double Between(this Random rng, double min, double max) => min + (rng.NextDouble() * (max - min));

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>Picks by weight: <paramref name="weights"/> need not sum to one.</summary>
    public static int Weighted(this Random rng, ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
