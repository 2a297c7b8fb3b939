using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PerfOtel.DemoFleet.Health;

/// <summary>
/// The fleet's own health endpoints, for the collector's component probes:
/// <c>GET /components/NAME/health</c> answers 200 (up) or 503 (during a component-down incident),
/// <c>GET /healthz</c> answers 200 while the fleet runs, <c>GET /</c> lists the components.
/// </summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private HealthServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    public static async Task<HealthServer> StartAsync(IPEndPoint endpoint, ComponentHealth health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(health);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        // ASPNETCORE_URLS from the environment must not add listeners beside the configured one.
        builder.WebHost.UseSetting(WebHostDefaults.PreferHostingUrlsKey, "false");
        var app = builder.Build();

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/components/{name}/health", (string name) =>
            !health.IsKnown(name) ? Results.NotFound()
            : health.IsUp(name) ? Results.Text("up\n")
            : Results.Text("down (demo incident: component-down)\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/", () => Results.Text(string.Concat(health.Components.Select(c =>
            $"{c}\t{(health.IsUp(c) ? "up" : "down")}\t/components/{c}/health\n"))));

        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{endpoint}";
        return new HealthServer(app, new Uri(bound));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync();
    }
}
