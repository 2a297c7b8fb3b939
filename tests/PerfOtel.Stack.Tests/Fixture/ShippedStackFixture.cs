namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// A second real stack rendered with the shipped scrape and evaluation intervals (15 s), the shipped <c>for:</c>
/// durations and the shipped Alertmanager waits: what an operator gets, so fault-to-notification latency measured
/// here is the real one. Its own instance, so that its tests may kill the collector without disturbing the others.
/// </summary>
public sealed class ShippedStackFixture : IAsyncLifetime
{
    public StackFixture Stack { get; } = new(StackOptions.Shipped);

    public ValueTask InitializeAsync() => Stack.InitializeAsync();

    public ValueTask DisposeAsync() => Stack.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ShippedStackCollection : ICollectionFixture<ShippedStackFixture>
{
    public const string Name = "real stack, shipped intervals";
}
