namespace InstantChat.Tests.TestSupport;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the last observed state after the timeout.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await observe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met; last value: {System.Text.Json.JsonSerializer.Serialize(value)}");
            await Task.Delay(50);
        }
    }
}
