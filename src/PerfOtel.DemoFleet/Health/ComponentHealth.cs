using PerfOtel.DemoFleet.Fleet;

namespace PerfOtel.DemoFleet.Health;

/// <summary>Which of the fleet's components are up; the component-down incident takes one down. Thread-safe.</summary>
public sealed class ComponentHealth(IReadOnlyList<string>? components = null)
{
    private volatile string? down;

    public IReadOnlyList<string> Components { get; } = components ?? FleetModel.Components;

    public bool IsKnown(string component) => Components.Contains(component);

    public bool IsUp(string component) => IsKnown(component) && !string.Equals(down, component, StringComparison.Ordinal);

    /// <summary>Takes <paramref name="component"/> down (null: everything up).</summary>
    public void SetDown(string? component) => down = component;
}
