using System.Text.Json;
using InstantChat.Core.Simulation;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Core.EventModel;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Simulation;

/// <summary>The simulator in the real host: through the ingest path into the store, processed like Meta's deliveries.</summary>
public sealed class SimulatorTests
{
    static readonly TimeSpan FewSeconds = TimeSpan.FromSeconds(10);

    static string Status(JsonElement e) => e.GetProperty("processedStatus").GetString()!;

    /// <summary>Waits until the simulator's in-flight sends have landed: the count holds still.</summary>
    static Task<long> QuietAsync(Simulator simulator) =>
        Eventually.WaitAsync(async () =>
        {
            var before = simulator.Sent;
            await Task.Delay(300);
            return simulator.Sent == before ? before : -1;
        }, sent => sent >= 0);

    [Fact]
    public async Task Run_SimulatorOn_EventsStoredAndCompleted()
    {
        using var app = new AppFactory(new() { ["SIMULATOR"] = "true", ["SIMULATOR_RATE"] = "20", ["WEBHOOK_POLL_INTERVAL_MS"] = "50" });
        var api = app.ApiClient();
        var simulator = app.Services.GetRequiredService<Simulator>();
        Assert.True(simulator.IsRunning);

        await Eventually.WaitAsync(() => api.EventsAsync(), events => events.Count >= 10, FewSeconds);
        simulator.Stop();
        var sent = await QuietAsync(simulator);

        var events = await Eventually.WaitAsync(() => api.EventsAsync(), all => all.All(e => Status(e) == "completed"));
        Assert.InRange(events.Count, 10, 499);
        Assert.InRange(events.Select(e => e.GetProperty("deliveryId").GetString()).Distinct().Count(), 1, (int)sent);
        Assert.All(events, e => Assert.Contains(e.GetProperty("eventType").GetString(), EventTypes.Understood));
        Assert.True(events.Select(e => e.GetProperty("platform").GetString()).Distinct().Count() > 1, "more than one platform");
        var threads = (await api.GetJsonAsync("/api/conversations")).GetProperty("items");
        Assert.True(threads.GetArrayLength() > 0, "the messages became conversations");
    }

    [Fact]
    public async Task StartStop_SimulatorUnset_OffUntilStartedAndQuietAfterStop()
    {
        using var app = new AppFactory(new() { ["SIMULATOR_RATE"] = "50" });
        var api = app.ApiClient();
        var simulator = app.Services.GetRequiredService<Simulator>();
        var changes = 0;
        simulator.StateChanged += () => Interlocked.Increment(ref changes);

        await Task.Delay(300);
        Assert.False(simulator.IsRunning);
        Assert.Equal(0, simulator.Sent);
        Assert.Empty(await api.EventsAsync());

        simulator.Start();
        simulator.Start(); // already running: no second change
        Assert.True(simulator.IsRunning);
        await Eventually.WaitAsync(() => api.EventsAsync(), events => events.Count >= 5, FewSeconds);

        simulator.Stop();
        Assert.False(simulator.IsRunning);
        Assert.Equal(2, changes);
        var sent = await QuietAsync(simulator);
        await Task.Delay(500);
        Assert.Equal(sent, simulator.Sent);

        simulator.Start(); // and it picks up again
        await Eventually.WaitAsync(() => Task.FromResult(simulator.Sent), s => s > sent, FewSeconds);
        simulator.Stop();
    }

    [Fact]
    public async Task Run_Rate_SendsAboutThatManyPerSecond()
    {
        using var app = new AppFactory(new() { ["SIMULATOR_RATE"] = "10" });
        var simulator = app.Services.GetRequiredService<Simulator>();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        simulator.Start();
        await Task.Delay(TimeSpan.FromSeconds(2));
        simulator.Stop();
        var sent = await QuietAsync(simulator);

        // 10/s for about 2 s: loose bounds for a busy machine, tight enough to catch a flood or a stall.
        Assert.InRange(sent, 10, 10 * watch.Elapsed.TotalSeconds + 3);
    }

    [Fact]
    public async Task Run_StoreFailsThenRecovers_KeepsRunningAndSends()
    {
        var store = (FlakyLog?)null;
        using var app = new AppFactory(new() { ["SIMULATOR"] = "true", ["SIMULATOR_RATE"] = "50" })
        {
            ConfigureTestServices = s => s.AddSingleton<IDeliveryLog>(sp => store = new FlakyLog(sp.GetRequiredService<SqliteDeliveryLog>(), failures: 5)),
        };
        var api = app.ApiClient();
        var simulator = app.Services.GetRequiredService<Simulator>();

        await Eventually.WaitAsync(() => api.EventsAsync(), events => events.Count > 0, FewSeconds);

        Assert.True(simulator.IsRunning);
        Assert.Equal(5, store!.Failed);
        Assert.True(simulator.Sent > 0);
        simulator.Stop();
    }

    /// <summary>Failure injection: the first appends throw as a full disk would, then the real log answers.</summary>
    sealed class FlakyLog(IDeliveryLog inner, int failures) : IDeliveryLog
    {
        int _commits;
        public int Failed => Math.Min(Volatile.Read(ref _commits), failures);

        public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<LogAppend> deliveries, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _commits) <= failures
                ? throw new StoreUnavailableException("disk full")
                : inner.AppendAsync(deliveries, cancellationToken);
    }
}
