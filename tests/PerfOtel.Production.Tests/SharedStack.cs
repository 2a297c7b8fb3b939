using PerfOtel.Production.Tests.Fixture;

namespace PerfOtel.Production.Tests;

/// <summary>
/// One production stack for the tests that leave it as they found it (dedupe, security, a VictoriaMetrics outage);
/// the tests that kill Prometheus replicas or Alertmanager peers start their own (<see cref="FaultTests"/>,
/// <see cref="LongTermStoreTests"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedStack : ICollectionFixture<ProductionStack>
{
    public const string Name = "production stack";
}
