namespace PerfOtel.Telemetry; internal static class Placeholder { }
