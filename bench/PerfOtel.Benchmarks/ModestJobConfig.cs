using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PerfOtel.Benchmarks;

/// <summary>
/// A ShortRun-like job sized for a shared 2-core machine: 3 warm-up and 10 measured iterations (ShortRun's 3 are too
/// few to outvote a neighbour's compile), in this process: the default toolchain rebuilds the collector for every run,
/// which under load overran BenchmarkDotNet's 2-minute build timeout. Medians are the figures to compare.
/// </summary>
public sealed class ModestJobConfig : ManualConfig
{
    public ModestJobConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Modest"));
    }
}
