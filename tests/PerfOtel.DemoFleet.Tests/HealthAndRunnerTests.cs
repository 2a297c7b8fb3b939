using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfOtel.DemoFleet.Fleet;
using PerfOtel.DemoFleet.Health;
using PerfOtel.DemoFleet.Incidents;

namespace PerfOtel.DemoFleet.Tests;

public sealed class HealthAndRunnerTests
{
    [Fact]
    public async Task Health_endpoints_answer_503_for_a_component_taken_down_and_200_otherwise()
    {
        var health = new ComponentHealth();
        await using var server = await HealthServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), health, TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.Address };
        foreach (var c in FleetModel.Components)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"components/{c}/health")).StatusCode);
        }

        health.SetDown(FleetModel.Targets.DownComponent);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync($"components/{FleetModel.Targets.DownComponent}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("components/vector-store/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("components/nothing/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        health.SetDown(null);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"components/{FleetModel.Targets.DownComponent}/health")).StatusCode);
    }

    [Fact]
    public async Task The_fleet_posts_batches_with_its_key_plays_the_schedule_and_stops_after_its_duration()
    {
        await using var collector = await FakeCollector.StartAsync("secret-key");
        var healthPort = FreePort.Next();
        var settings = new DemoSettings(collector.Url, "secret-key", null, new IPEndPoint(IPAddress.Loopback, healthPort), 6000,
            TimeSpan.FromMilliseconds(200), TimeSpan.FromHours(1), 15, 0.15,
            IncidentSchedule.Explicit([new Incident(IncidentKind.ComponentDown, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30))]),
            TimeSpan.FromSeconds(3), Seed: 11);
        var log = new StringWriter();
        var run = DemoRunner.RunAsync(settings, log, TestContext.Current.CancellationToken);

        // During the incident, the collector's probe of the component would see 503.
        using var http = new HttpClient();
        var down = false;
        for (var i = 0; i < 40 && !down && !run.IsCompleted; i++)
        {
            await Task.Delay(100);
            try
            {
                down = (await http.GetAsync($"http://127.0.0.1:{healthPort}/components/{FleetModel.Targets.DownComponent}/health")).StatusCode == HttpStatusCode.ServiceUnavailable;
            }
            catch (HttpRequestException)
            {
            }
        }

        var started = DateTime.UtcNow;
        Assert.Equal(DemoRunner.ExitOk, await run);
        Assert.True(down, "the component never answered 503 during component-down\n" + log);
        // 3 s at a 200 ms tick: about 15 batches, fewer on a loaded machine (a tick never fires twice to catch up).
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.InRange(collector.Batches, 5, 20);
        Assert.True(collector.Events.Count > 100, log.ToString());
        Assert.Contains(collector.Events, e => e.GetProperty("type").GetString() == "tool_call" && e.TryGetProperty("error_type", out var t) && t.GetString() == "unavailable");
        Assert.Contains("incident: component-down", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("stopped:", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_stops_the_fleet_with_a_failure()
    {
        await using var collector = await FakeCollector.StartAsync("right-key");
        var settings = new DemoSettings(collector.Url, "wrong-key", null, null, 60, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), 15, 0.15,
            IncidentSchedule.None, TimeSpan.FromSeconds(30), Seed: 1);
        var log = new StringWriter();
        var started = DateTime.UtcNow;
        Assert.Equal(DemoRunner.ExitFailed, await DemoRunner.RunAsync(settings, log, TestContext.Current.CancellationToken));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Contains("refused the API key", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_the_fleet_at_once_and_an_unreachable_collector_is_no_crash()
    {
        var settings = new DemoSettings(new Uri($"http://127.0.0.1:{FreePort.Next()}"), "k", null, null, 60, TimeSpan.FromMilliseconds(100),
            TimeSpan.FromHours(1), 15, 0.15, IncidentSchedule.None, null, Seed: 1);
        // Three attempts with 1 s and 2 s between them: the first batch is dropped after about 3 s.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var log = new StringWriter();
        var started = DateTime.UtcNow;
        await DemoRunner.RunAsync(settings, log, cts.Token);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(6));
        Assert.Contains("batch dropped", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("stopped:", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_port_in_use_is_a_clear_failure()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var settings = new DemoSettings(new Uri("http://127.0.0.1:9"), "k", null, (IPEndPoint)taken.LocalEndpoint, 60, TimeSpan.FromSeconds(1),
            TimeSpan.FromHours(1), 15, 0.15, IncidentSchedule.None, TimeSpan.FromSeconds(5), Seed: 1);
        var log = new StringWriter();
        Assert.Equal(DemoRunner.ExitFailed, await DemoRunner.RunAsync(settings, log, TestContext.Current.CancellationToken));
        Assert.Contains("cannot listen on", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Accepts POST /v1/events with one key, as the collector does, and keeps what it got.</summary>
    private sealed class FakeCollector : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int batches;

        private FakeCollector(WebApplication app) => this.app = app;

        public Uri Url { get; private set; } = null!;

        public int Batches => batches;

        public ConcurrentBag<JsonElement> Events { get; } = [];

        public static async Task<FakeCollector> StartAsync(string key)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var fake = new FakeCollector(app);
            app.MapPost("/v1/events", async (HttpRequest request) =>
            {
                if (request.Headers.Authorization.ToString() != "Bearer " + key)
                {
                    return Results.Problem(statusCode: 401, title: "unauthorized");
                }

                using var doc = await JsonDocument.ParseAsync(request.Body);
                foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
                {
                    fake.Events.Add(e.Clone());
                }

                Interlocked.Increment(ref fake.batches);
                return Results.Accepted();
            });
            await app.StartAsync();
            fake.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
