namespace PerfOtel.Production.Tests.Fixture;

/// <summary>Bounded waits for a condition: every wait in these tests ends, with what was last seen.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, int everyMs = 500)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }

                last = null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or IOException)
            {
                last = e;
            }

            await Task.Delay(everyMs);
        }

        throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {describe()}{(last is null ? "" : $" (last error: {last.Message})")}");
    }
}
