using System.Diagnostics;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Time;
using static PerfOtel.Reports.ReportMetrics;

namespace PerfOtel.Reports.Data;

/// <summary>
/// Reads everything a report needs with a fixed set of queries (<see cref="QueryBound"/>), whatever the number of
/// series or the length of the range, at most <see cref="Parallelism"/> at a time.
/// </summary>
internal static class ReportReader
{
    /// <summary>
    /// The most queries one report sends: 8 per period (current and previous), 5 bucketed series, unpriced tokens,
    /// budget limits, budget spend (day and month to date), alerts. Fewer when the buckets tile the periods (4 fewer:
    /// runs and run-duration buckets are summed from the bucketed series), when the report ends on a budget period's
    /// first instant, or when the range is shorter than a bucket.
    /// </summary>
    public const int QueryBound = 8 + 8 + 5 + 1 + 1 + 2 + 1;

    /// <summary>Queries in flight at once: enough to hide latency, few enough not to crowd Prometheus.</summary>
    public const int Parallelism = 4;

    public static async Task<ReportData> ReadAsync(PrometheusClient prometheus, ReportRange range, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var before = prometheus.QueryCount;
        using var limiter = new SemaphoreSlim(Parallelism);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = failed.Token;

        async Task<T> Limited<T>(Func<Task<T>> query)
        {
            await limiter.WaitAsync(ct);
            try
            {
                return await query();
            }
            catch
            {
                // One failure decides the report: stop the others instead of waiting for them.
                await failed.CancelAsync();
                throw;
            }
            finally
            {
                limiter.Release();
            }
        }

        Task<IReadOnlyList<PrometheusSeries>> Instant(string promQl, DateTimeOffset at) =>
            Limited(() => prometheus.QueryAsync(promQl, at, ct));

        var previous = range.Previous;
        var window = PromQl.Duration(range.Window);
        var timeline = Timeline(range);

        // When the buckets tile both periods exactly, a period's runs and run-duration buckets are the sum of its
        // buckets (consecutive exact increases add up): the range queries already read them, so the instant queries
        // of those two (the costliest: every bucket series' every sample) are not sent.
        var tiled = timeline.Ends.Length > 0 && range.Window.Ticks % range.Step.Ticks == 0;
        Task<IReadOnlyList<PrometheusSeries>> Period(int index, string query, DateTimeOffset at) =>
            tiled && index is PeriodReader.RunsIndex or PeriodReader.RunBucketsIndex
                ? Task.FromResult<IReadOnlyList<PrometheusSeries>>([])
                : Instant(query, at);

        var step = PromQl.Duration(range.Step);
        // A range shorter than one bucket has no bucketed series (and sends fewer queries).
        Task<IReadOnlyList<PrometheusRangeSeries>> Bucketed(string promQl) => timeline.Ends.Length == 0
            ? Task.FromResult<IReadOnlyList<PrometheusRangeSeries>>([])
            : Limited(() => prometheus.QueryRangeAsync(promQl, timeline.Ends[0], timeline.Ends[^1], range.Step, ct));
        var bucketsPerBucket = Bucketed(ReportQueries.RunBucketsPerBucket(step)); // the longest: first
        var runsPerBucket = Bucketed(ReportQueries.RunsPerBucket(step));
        var callsPerBucket = Bucketed(ReportQueries.LlmCallsPerBucket(step));
        var costPerBucket = Bucketed(ReportQueries.CostPerBucket(step));
        var tokensPerBucket = Bucketed(ReportQueries.TokensPerBucket(step));

        var currentQueries = PeriodReader.Queries(window).Select((q, i) => Period(i, q, range.To)).ToArray();
        var previousQueries = PeriodReader.Queries(window).Select((q, i) => Period(i, q, previous.To)).ToArray();

        var unpriced = Instant(ReportQueries.Unpriced(window), range.To);
        var limits = Instant(ReportQueries.BudgetLimits(window), range.To);
        var periods = BudgetPeriods(range.To);
        var spent = periods.Select(p => p.Start < range.To
            ? Instant(ReportQueries.CostByTeamAndAgent(PromQl.Duration(range.To - p.Start)), range.To)
            : Task.FromResult<IReadOnlyList<PrometheusSeries>>([])).ToArray();
        var alerts = Limited(() => prometheus.QueryRawAsync(ReportQueries.FiringAlerts(PromQl.Duration(range.To - previous.From)), range.To, ct));

        var all = new List<Task>(currentQueries.Length + previousQueries.Length + 10);
        all.AddRange(currentQueries);
        all.AddRange(previousQueries);
        all.AddRange([runsPerBucket, bucketsPerBucket, callsPerBucket, costPerBucket, tokensPerBucket, unpriced, limits, alerts]);
        all.AddRange(spent);
        try
        {
            await Task.WhenAll(all);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Cancelled because another query failed: surface that failure, not the cancellation.
            if (all.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException is { } cause)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        var currentAnswers = currentQueries.Select(t => t.Result).ToList();
        var previousAnswers = previousQueries.Select(t => t.Result).ToList();
        if (tiled)
        {
            currentAnswers[PeriodReader.RunsIndex] = SumOfBuckets(runsPerBucket.Result, timeline, current: true);
            previousAnswers[PeriodReader.RunsIndex] = SumOfBuckets(runsPerBucket.Result, timeline, current: false);
            currentAnswers[PeriodReader.RunBucketsIndex] = SumOfBuckets(bucketsPerBucket.Result, timeline, current: true);
            previousAnswers[PeriodReader.RunBucketsIndex] = SumOfBuckets(bucketsPerBucket.Result, timeline, current: false);
        }

        var current = PeriodReader.Assemble(range, currentAnswers);
        var previousData = PeriodReader.Assemble(previous, previousAnswers);
        var buckets = Buckets(timeline, runsPerBucket.Result, bucketsPerBucket.Result, callsPerBucket.Result, costPerBucket.Result, tokensPerBucket.Result);

        return new ReportData(
            current,
            previousData,
            buckets,
            unpriced.Result.Select(s => new UnpricedUsage(s.Label(Provider), s.Label(Model), s.Label(TokenType), s.Value)).Where(u => u.Tokens > 0)
                .OrderByDescending(u => u.Tokens).ToList(),
            Budgets(limits.Result, periods, spent.Select(t => t.Result).ToList()),
            AlertEpisodes.From(alerts.Result, range.To),
            prometheus.QueryCount - before,
            stopwatch.Elapsed);
    }

    /// <summary>Each series' sum over the buckets of one period; series without a sample in it are left out.</summary>
    private static List<PrometheusSeries> SumOfBuckets(IReadOnlyList<PrometheusRangeSeries> series, (DateTimeOffset[] Ends, int CurrentStart) timeline, bool current)
    {
        var from = current ? timeline.Ends[timeline.CurrentStart] : timeline.Ends[0];
        var to = current ? timeline.Ends[^1] : timeline.Ends[timeline.CurrentStart - 1];
        var sums = new List<PrometheusSeries>(series.Count);
        foreach (var s in series)
        {
            var inPeriod = s.Samples.Where(x => x.Time >= from && x.Time <= to && double.IsFinite(x.Value)).ToList();
            if (inPeriod.Count > 0)
            {
                sums.Add(new PrometheusSeries(s.Labels, inPeriod.Sum(x => x.Value)));
            }
        }

        return sums;
    }

    /// <summary>The bucket ends over the previous and current period: the last at <c>To</c>, <see cref="ReportRange.Step"/> apart.</summary>
    internal static (DateTimeOffset[] Ends, int CurrentStart) Timeline(ReportRange range)
    {
        var step = range.Step;
        var n = (int)((range.To - range.Previous.From) / step);
        var ends = new DateTimeOffset[n];
        var currentStart = n;
        for (var i = 0; i < n; i++)
        {
            ends[i] = range.To - ((n - 1 - i) * step);
            if (currentStart == n && ends[i] - step >= range.From)
            {
                currentStart = i;
            }
        }

        return (ends, currentStart);
    }

    private static BucketSeries Buckets(
        (DateTimeOffset[] Ends, int CurrentStart) timeline,
        IReadOnlyList<PrometheusRangeSeries> runs,
        IReadOnlyList<PrometheusRangeSeries> quantiles,
        IReadOnlyList<PrometheusRangeSeries> calls,
        IReadOnlyList<PrometheusRangeSeries> cost,
        IReadOnlyList<PrometheusRangeSeries> tokens)
    {
        var ends = timeline.Ends;
        var n = ends.Length;
        var index = new Dictionary<long, int>(n);
        for (var i = 0; i < n; i++)
        {
            index[ends[i].ToUnixTimeMilliseconds()] = i;
        }

        double[] Counts(IEnumerable<PrometheusRangeSeries> series)
        {
            var values = new double[n];
            foreach (var s in series)
            {
                foreach (var sample in s.Samples)
                {
                    if (index.TryGetValue(sample.Time.ToUnixTimeMilliseconds(), out var i) && double.IsFinite(sample.Value))
                    {
                        values[i] += sample.Value;
                    }
                }
            }

            return values;
        }

        // Quantiles per bucket from the bucket counts of each step: per agent, and over all agents.
        var byAgentAndStep = new Dictionary<string, List<PrometheusSeries>[]>(StringComparer.Ordinal);
        var allSteps = Enumerable.Range(0, n).Select(_ => new List<PrometheusSeries>()).ToArray();
        foreach (var s in quantiles)
        {
            if (!byAgentAndStep.TryGetValue(s.Label(Agent), out var steps))
            {
                byAgentAndStep[s.Label(Agent)] = steps = Enumerable.Range(0, n).Select(_ => new List<PrometheusSeries>()).ToArray();
            }

            foreach (var sample in s.Samples)
            {
                if (index.TryGetValue(sample.Time.ToUnixTimeMilliseconds(), out var i))
                {
                    var point = new PrometheusSeries(s.Labels, sample.Value);
                    steps[i].Add(point);
                    allSteps[i].Add(point);
                }
            }
        }

        double?[] Quantiles(double q, List<PrometheusSeries>[] steps) =>
            steps.Select(points => PeriodReader.Quantile(HistogramQuantile.Of(q, PeriodReader.Buckets(points).All))).ToArray();

        return new BucketSeries(
            TimeSpan.FromMilliseconds(n > 1 ? (ends[1] - ends[0]).TotalMilliseconds : 0),
            ends,
            runs.GroupBy(s => (s.Label(Agent), s.Label(Outcome))).ToDictionary(g => g.Key, Counts),
            byAgentAndStep.ToDictionary(kv => kv.Key, kv => Quantiles(0.5, kv.Value)),
            byAgentAndStep.ToDictionary(kv => kv.Key, kv => Quantiles(0.95, kv.Value)),
            Quantiles(0.5, allSteps),
            Quantiles(0.95, allSteps),
            calls.GroupBy(s => s.Label(Agent)).ToDictionary(g => g.Key, Counts),
            calls.Where(s => s.Label(ErrorType).Length > 0).GroupBy(s => s.Label(Agent)).ToDictionary(g => g.Key, Counts),
            cost.GroupBy(s => (s.Label(Team), s.Label(Agent))).ToDictionary(g => g.Key, Counts),
            tokens.GroupBy(s => s.Label(TokenType)).ToDictionary(g => g.Key, Counts))
        {
            CurrentStart = timeline.CurrentStart,
        };
    }

    /// <summary>The UTC day and month containing <paramref name="at"/> (budget periods: start inclusive, end exclusive).</summary>
    internal static (string Period, DateTimeOffset Start, DateTimeOffset End)[] BudgetPeriods(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var day = new DateTimeOffset(utc.Date, TimeSpan.Zero);
        var month = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return [("daily", day, day.AddDays(1)), ("monthly", month, month.AddMonths(1))];
    }

    private static List<BudgetStatus> Budgets(
        IReadOnlyList<PrometheusSeries> limits,
        (string Period, DateTimeOffset Start, DateTimeOffset End)[] periods,
        List<IReadOnlyList<PrometheusSeries>> spent)
    {
        var budgets = new List<BudgetStatus>();
        foreach (var limit in limits)
        {
            var periodIndex = Array.FindIndex(periods, p => p.Period == limit.Label(BudgetPeriod));
            if (periodIndex < 0 || !double.IsFinite(limit.Value))
            {
                continue; // a period this version does not know: say nothing rather than something wrong
            }

            var scope = limit.Label(BudgetScope);
            var name = limit.Label(BudgetName);
            var label = scope == "team" ? Team : Agent;
            var usd = spent[periodIndex].Where(s => s.Label(label) == name).Sum(s => s.Value);
            var (period, start, end) = periods[periodIndex];
            budgets.Add(new BudgetStatus(scope, name, period, limit.Value, usd, start, end));
        }

        return budgets.OrderBy(b => b.Scope, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal).ThenBy(b => b.Period, StringComparer.Ordinal).ToList();
    }
}
