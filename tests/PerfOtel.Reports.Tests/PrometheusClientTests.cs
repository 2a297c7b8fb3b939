using System.Net;
using System.Text;
using PerfOtel.Reports.Prometheus;

namespace PerfOtel.Reports.Tests;

public class PrometheusClientTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_769_864_400_500);

    [Fact]
    public async Task Posts_the_query_with_its_evaluation_time_and_reads_the_vector()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"gen_ai_agent_name":"planner"},"value":[1769864400.5,"360"]},
              {"metric":{},"value":[1769864400.5,"NaN"]},
              {"metric":{"le":"+Inf"},"value":[1769864400.5,"+Inf"]}]}}
            """);
        var client = new PrometheusClient(new HttpClient(handler), new Uri("http://user:secret@prom.example:9090/prefix"));

        var series = await client.QueryAsync("sum(up)", At, TestContext.Current.CancellationToken);

        Assert.Equal(HttpMethod.Post, handler.Request!.Method);
        Assert.Equal("http://prom.example:9090/prefix/api/v1/query", handler.Request.RequestUri!.AbsoluteUri);
        Assert.Equal("query=sum%28up%29&time=1769864400.5", handler.Body);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:secret")), handler.Request.Headers.Authorization?.ToString());
        Assert.Equal("http://prom.example:9090/prefix", client.DisplayUrl);
        Assert.Equal(3, series.Count);
        Assert.Equal("planner", series[0].Label("gen_ai_agent_name"));
        Assert.Equal(360, series[0].Value);
        Assert.Equal("", series[1].Label("gen_ai_agent_name"));
        Assert.True(double.IsNaN(series[1].Value));
        Assert.Equal(double.PositiveInfinity, series[2].Value);
    }

    [Fact]
    public async Task Range_queries_post_start_end_and_step_and_read_the_matrix()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"gen_ai_agent_name":"planner"},"values":[[1769864400,"1"],[1769864460.5,"NaN"]]}]}}
            """);
        var client = new PrometheusClient(new HttpClient(handler), new Uri("http://prom:9090"));

        var series = await client.QueryRangeAsync("up", At.AddMilliseconds(-500), At.AddSeconds(59.5), TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal("http://prom:9090/api/v1/query_range", handler.Request!.RequestUri!.AbsoluteUri);
        Assert.Equal("query=up&start=1769864400&end=1769864460&step=60", handler.Body);
        var s = Assert.Single(series);
        Assert.Equal("planner", s.Label("gen_ai_agent_name"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1769864400), s.Samples[0].Time);
        Assert.Equal(1, s.Samples[0].Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1769864460500), s.Samples[1].Time);
        Assert.True(double.IsNaN(s.Samples[1].Value));
        Assert.Equal(1, client.QueryCount);
    }

    [Fact]
    public async Task A_vector_where_a_matrix_was_asked_for_is_an_error_answer() =>
        await Assert.ThrowsAsync<PrometheusErrorException>(() =>
            new PrometheusClient(new HttpClient(new StubHandler(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[]}}""")), new Uri("http://prom:9090"))
                .QueryRawAsync("up[5m]", At, TestContext.Current.CancellationToken));

    [Fact]
    public async Task An_api_error_names_its_type_and_message_on_one_line()
    {
        var handler = new StubHandler(HttpStatusCode.BadRequest, """
            {"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"}
            """);
        var client = new PrometheusClient(new HttpClient(handler), new Uri("http://prom:9090"));

        var e = await Assert.ThrowsAsync<PrometheusErrorException>(() => client.QueryAsync("sum(", At, TestContext.Current.CancellationToken));

        Assert.Equal(
            "Prometheus at http://prom:9090 answered HTTP 400 Bad Request: bad_data: invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis",
            e.Message);
    }

    [Fact]
    public async Task A_non_json_error_page_is_an_error_answer() =>
        Assert.Contains(
            "answered HTTP 502 Bad Gateway",
            (await Assert.ThrowsAsync<PrometheusErrorException>(() =>
                new PrometheusClient(new HttpClient(new StubHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>")), new Uri("http://prom:9090"))
                    .QueryAsync("up", At, TestContext.Current.CancellationToken))).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}""")]
    [InlineData("""not json""")]
    public async Task A_success_without_an_instant_vector_is_an_error_answer(string body) =>
        await Assert.ThrowsAsync<PrometheusErrorException>(() =>
            new PrometheusClient(new HttpClient(new StubHandler(HttpStatusCode.OK, body)), new Uri("http://prom:9090"))
                .QueryAsync("up", At, TestContext.Current.CancellationToken));

    [Fact]
    public async Task A_refused_connection_is_unreachable()
    {
        var port = FreePort.Next(); // nothing listens there any more
        var client = new PrometheusClient(new HttpClient(), new Uri($"http://127.0.0.1:{port}"));

        var e = await Assert.ThrowsAsync<PrometheusUnreachableException>(() => client.QueryAsync("up", At, TestContext.Current.CancellationToken));

        Assert.StartsWith($"cannot reach Prometheus at http://127.0.0.1:{port}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_unreachable()
    {
        var client = new PrometheusClient(
            new HttpClient(new StubHandler(HttpStatusCode.OK, "{}", delay: TimeSpan.FromSeconds(30))) { Timeout = TimeSpan.FromMilliseconds(200) },
            new Uri("http://prom:9090"));

        var e = await Assert.ThrowsAsync<PrometheusUnreachableException>(() => client.QueryAsync("up", At, TestContext.Current.CancellationToken));

        Assert.Equal("Prometheus at http://prom:9090 did not answer within 0.2 s", e.Message);
    }

    private sealed class StubHandler(HttpStatusCode status, string body, TimeSpan? delay = null) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            if (delay is { } d)
            {
                await Task.Delay(d, cancellationToken);
            }

            return new HttpResponseMessage(status)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
        }
    }
}
