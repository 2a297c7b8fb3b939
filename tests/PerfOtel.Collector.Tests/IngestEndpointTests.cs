using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Tests;

public sealed class IngestEndpointTests(CollectorApp app) : IClassFixture<CollectorApp>
{
    private const string ValidBatch = """
        {"events":[
          {"type":"run","run_id":"r-1","agent":"planner","outcome":"success","duration_seconds":12.5},
          {"type":"llm_call","agent":"planner","provider":"openai","model":"gpt-4o","operation":"chat","input_tokens":100,"output_tokens":20,"duration_seconds":0.7}
        ]}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Problem(HttpResponseMessage r)
    {
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Valid_batch_is_accepted_and_recorded()
    {
        using var runs = app.Collect<double>(AgentSemanticConventions.MeterName, AgentSemanticConventions.RunDuration);
        using var calls = app.Collect<double>(AgentSemanticConventions.MeterName, AgentSemanticConventions.OperationDuration);
        using var r = await app.Authorized().PostAsync("/v1/events", Json(ValidBatch));

        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("accepted").GetInt32());
        Assert.Contains(runs.GetMeasurementSnapshot(), m => m.Value == 12.5 && (string?)m.Tags["gen_ai.agent.name"] == "planner");
        Assert.Contains(calls.GetMeasurementSnapshot(), m => m.Value == 0.7 && (string?)m.Tags["gen_ai.request.model"] == "gpt-4o");
    }

    [Fact]
    public async Task Second_configured_key_is_accepted_too()
    {
        using var c = app.CreateClient();
        c.DefaultRequestHeaders.Authorization = new("Bearer", "another-key-abcdef");
        using var r = await c.PostAsync("/v1/events", Json(ValidBatch));
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer ")]
    public async Task Missing_or_wrong_key_gets_401_problem(string? authorization)
    {
        using var c = app.CreateClient();
        using var req = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = Json(ValidBatch) };
        if (authorization is not null)
        {
            req.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var r = await c.SendAsync(req);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal(401, (await Problem(r)).GetProperty("status").GetInt32());
        Assert.Contains("Bearer", r.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_naming_the_position()
    {
        using var r = await app.Authorized().PostAsync("/v1/events", Json("""{"events":[{"type":"run",""" ));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var p = await Problem(r);
        Assert.Equal("Malformed JSON", p.GetProperty("title").GetString());
        Assert.Contains("Path:", p.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"events":[{"type":"run","agent":"a","outcome":"success","duration_seconds":NaN}]}""")]
    [InlineData("""{"events":[{"type":"run","agent":"a","outcome":"success","duration_seconds":"Infinity"}]}""")]
    [InlineData("""{"events":[{"type":"llm_call","agent":"a","provider":"p","model":"m","operation":"chat","input_tokens":1.5,"output_tokens":1,"duration_seconds":1}]}""")]
    [InlineData("""{"events":[{"type":"run","agent":"a","outcome":"success","duration_seconds":1e999}]}""")]
    public async Task Non_finite_or_non_integer_numbers_are_refused(string body)
    {
        using var r = await app.Authorized().PostAsync("/v1/events", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        await Problem(r);
    }

    [Fact]
    public async Task Invalid_batch_names_every_bad_field_and_records_nothing()
    {
        using var runs = app.Collect<double>(AgentSemanticConventions.MeterName, AgentSemanticConventions.RunDuration);
        const string body = """
            {"events":[
              {"type":"run","agent":"good-agent-all-or-nothing","outcome":"success","duration_seconds":1},
              {"type":"run","agent":"a","outcome":"sucess","duration_seconds":-1},
              {"type":"llm_call","agent":"a","provider":"p","operation":"chat","input_tokens":-5,"output_tokens":1,"duration_seconds":1},
              {"type":"telemetry"},
              null
            ]}
            """;
        using var r = await app.Authorized().PostAsync("/v1/events", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var errors = (await Problem(r)).GetProperty("errors");
        foreach (var field in new[] { "events[1].outcome", "events[1].duration_seconds", "events[2].model", "events[2].input_tokens", "events[3].type", "events[4]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), "missing error for " + field + ": " + errors);
        }

        Assert.DoesNotContain(runs.GetMeasurementSnapshot(), m => (string?)m.Tags["gen_ai.agent.name"] == "good-agent-all-or-nothing");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"events":[]}""")]
    [InlineData("[]")]
    public async Task Batch_without_events_is_refused(string body)
    {
        using var r = await app.Authorized().PostAsync("/v1/events", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        await Problem(r);
    }

    [Fact]
    public async Task Label_values_with_control_characters_or_too_long_are_refused()
    {
        var longName = new string('a', 129);
        var body = $$"""
            {"events":[
              {"type":"run","agent":"line\nbreak","outcome":"success","duration_seconds":1},
              {"type":"run","agent":"{{longName}}","outcome":"success","duration_seconds":1},
              {"type":"run","agent":"quote\"inside","outcome":"success","duration_seconds":1}
            ]}
            """;
        using var r = await app.Authorized().PostAsync("/v1/events", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var errors = (await Problem(r)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("events[0].agent", out _));
        Assert.True(errors.TryGetProperty("events[1].agent", out _));
        Assert.True(errors.TryGetProperty("events[2].agent", out _));
    }

    [Fact]
    public async Task Too_many_events_in_one_batch_is_refused()
    {
        var one = """{"type":"run","agent":"a","outcome":"success","duration_seconds":1}""";
        var body = "{\"events\":[" + string.Join(',', Enumerable.Repeat(one, 101)) + "]}";
        using var r = await app.Authorized().PostAsync("/v1/events", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("at most 100", (await Problem(r)).GetProperty("errors").GetProperty("events")[0].GetString());
    }

    [Fact]
    public async Task Oversized_body_gets_413_problem()
    {
        var body = "{\"events\":[" + new string(' ', 70_000) + "]}";
        using var r = await app.Authorized().PostAsync("/v1/events", Json(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        await Problem(r);
    }

    [Fact]
    public async Task Oversized_chunked_body_without_length_gets_413_problem()
    {
        var body = "{\"events\":[" + new string(' ', 70_000) + "]}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var req = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = content };
        req.Headers.TransferEncodingChunked = true;
        using var r = await app.Authorized().SendAsync(req);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
    }

    [Fact]
    public async Task Non_json_content_type_gets_415_problem()
    {
        using var r = await app.Authorized().PostAsync("/v1/events", new StringContent(ValidBatch, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
        await Problem(r);
    }

    [Fact]
    public async Task Collector_keeps_serving_after_rejections()
    {
        var c = app.Authorized();
        for (var i = 0; i < 20; i++)
        {
            using var bad = await c.PostAsync("/v1/events", Json("{\"events\":[{" + i));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var ok = await c.PostAsync("/v1/events", Json(ValidBatch));
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        using var health = await c.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Health_and_ready_endpoints_answer()
    {
        using var c = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_endpoint_exposes_prometheus_text()
    {
        await app.Authorized().PostAsync("/v1/events", Json(ValidBatch));
        using var c = app.CreateClient();
        c.DefaultRequestHeaders.Accept.ParseAdd("text/plain");
        var text = await c.GetStringAsync("/metrics");
        Assert.Contains("agent_run_duration_seconds_bucket", text);
        Assert.Contains("gen_ai_client_token_usage_sum", text);
        Assert.Contains("perfotel_ingest_events_total", text);
        Assert.Contains("process_cpu_time_seconds_total", text);
        Assert.Contains("dotnet_gc_collections_total", text);
    }
}
