using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace PerfOtel.Config.Tests;

/// <summary>
/// Builds the collector image from src/PerfOtel.Collector/Dockerfile and runs it. Needs a Docker engine: without
/// one the test reports itself skipped, never passed.
/// </summary>
public class DockerImageTests
{
    [Fact]
    public async Task Collector_image_builds_runs_as_non_root_and_becomes_healthy()
    {
        var ct = TestContext.Current.CancellationToken;
        IFutureDockerImage image;
        try
        {
            image = new ImageFromDockerfileBuilder()
                .WithDockerfileDirectory(RepoPaths.Root)
                .WithDockerfile("src/PerfOtel.Collector/Dockerfile")
                .WithName($"perfotel-collector-test:{Guid.NewGuid():N}")
                .WithDeleteIfExists(true)
                .WithCleanUp(true)
                .Build();
        }
        catch (DockerUnavailableException e)
        {
            Assert.Skip("no Docker engine answers, the image was not built: " + e.Message);
            return;
        }

        await using (image)
        {
            await image.CreateAsync(ct);

            // Waiting for Docker's own health status exercises the image's HEALTHCHECK (bash probing /healthz).
            await using var container = new ContainerBuilder(image)
                .WithPortBinding(8080, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilContainerIsHealthy())
                .Build();
            await container.StartAsync(ct);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var baseUrl = $"http://{container.Hostname}:{container.GetMappedPublicPort(8080)}";
            using (var r = await http.GetAsync(baseUrl + "/healthz", ct))
            {
                Assert.True(r.IsSuccessStatusCode, $"/healthz answered {(int)r.StatusCode}");
            }

            var id = await container.ExecAsync(["id", "-u"], ct);
            Assert.Equal("1654", id.Stdout.Trim());

            // The key the image generates by default belongs to the collector; others cannot read it.
            var key = await container.ExecAsync(["stat", "-c", "%u %A", "/run/perfotel/api-key"], ct);
            Assert.Matches(@"^1654 -rw.{4}---$", key.Stdout.Trim());
        }
    }
}
