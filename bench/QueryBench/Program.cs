// Query latency at scale: seeds N realistic events (default 1,000,000) into the embedded store, through
// the product's parser and store, spread over 7 days and processed (1 % failed), then times the
// Events API's queries and the stats report on that store.
// Usage: dotnet QueryBench.dll --data-dir DIR [--events 1000000] [--runs 20]
// A second run on the same DIR reuses the seeded store.
using System.Diagnostics;
using System.Globalization;
using InstantChat.Core.Parsing;
using InstantChat.Core.Simulation;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using Microsoft.Extensions.DependencyInjection;

var opts = BenchStore.Options(args);
var dataDir = opts.GetValueOrDefault("data-dir", Path.Combine(Path.GetTempPath(), "querybench"));
var target = long.Parse(opts.GetValueOrDefault("events", "1000000"), CultureInfo.InvariantCulture);
var runs = int.Parse(opts.GetValueOrDefault("runs", "20"), CultureInfo.InvariantCulture);
await using var sp = await BenchStore.OpenAsync(dataDir);
var events = sp.GetRequiredService<IEventStore>();
var queue = sp.GetRequiredService<IQueueStore>();
var stats = sp.GetRequiredService<StatsService>();

var stored = (await stats.ReportAsync(CancellationToken.None)).Total;
if (stored < target) await Seed.RunAsync(sp, target - stored, target);
var report = await stats.ReportAsync(CancellationToken.None);
Console.WriteLine($"store: {report.Total:#,0} events, {report.ByStatus.GetValueOrDefault("failed"):#,0} failed, file {new FileInfo(Path.Combine(dataDir, "instantchat.db")).Length / 1_048_576:#,0} MiB");

var now = DateTimeOffset.UtcNow;
var account = report.EventsPerAccount.FirstOrDefault()?.Key;
var middle = EventIds.MinFor(now.AddDays(-3.5));
var cases = new (string Name, Func<Task> Run)[]
{
    ("first page, no filter", () => events.ListAsync(new EventQuery(), default)),
    ("first page, status=failed (1 %)", () => events.ListAsync(new EventQuery(Status: ProcessingStatus.Failed), default)),
    ("first page, type=comments", () => events.ListAsync(new EventQuery(EventType: "comments"), default)),
    ("first page, account", () => events.ListAsync(new EventQuery(AccountId: account), default)),
    ("first page, type+status+dates", () => events.ListAsync(new EventQuery(EventType: "messages", Status: ProcessingStatus.Completed, From: now.AddDays(-2), To: now.AddDays(-1)), default)),
    ("deep page (cursor 3.5 days back)", () => events.ListAsync(new EventQuery(Cursor: middle), default)),
    ("text search, common word", () => events.ListAsync(new EventQuery(Text: "order"), default)),
    ("text search, no match", () => events.ListAsync(new EventQuery(Text: "zzqx-no-such-text"), default)),
    ("text search, 3 characters, no match", () => events.ListAsync(new EventQuery(Text: "qzx"), default)),
    ("text search, common word + status=failed (1 %)", () => events.ListAsync(new EventQuery(Text: "order", Status: ProcessingStatus.Failed), default)),
    ("stats report", () => stats.ReportAsync(default)),
    ("queue length", () => queue.QueueLengthAsync(default)),
};
Console.WriteLine("| query | p50 ms | p95 ms | max ms |");
Console.WriteLine("|---|---|---|---|");
foreach (var (name, run) in cases)
{
    for (var i = 0; i < 3; i++) await run();
    var samples = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var t = Stopwatch.GetTimestamp();
        await run();
        samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    samples.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {samples[samples.Count / 2]:0.0} | {samples[(int)(samples.Count * 0.95)]:0.0} | {samples[^1]:0.0} |"));
}

static class Seed
{
    /// <summary>Parses generated deliveries and commits them in large groups, received evenly over the last 7 days, then processes them.</summary>
    public static async Task RunAsync(IServiceProvider sp, long count, long total)
    {
        var parser = sp.GetRequiredService<MetaParser>();
        var ingest = sp.GetRequiredService<IIngestStore>();
        var queue = sp.GetRequiredService<IQueueStore>();
        var generator = new TrafficGenerator(new Random(42), TimeProvider.System);
        var start = DateTimeOffset.UtcNow.AddDays(-7);
        var step = TimeSpan.FromDays(7) / total;
        var random = new Random(7);
        long added = 0;
        var watch = Stopwatch.StartNew();
        var at = start + step * (total - count);
        while (added < count)
        {
            var batches = new List<IngestBatch>(500);
            for (var i = 0; i < 500 && added < count; i++)
            {
                var body = generator.NextDelivery();
                var ids = new EventIds.Sequence(at);
                var deliveryId = ids.Next();
                var parsed = parser.Parse(body, deliveryId, at, ids);
                batches.Add(new IngestBatch(new Delivery(deliveryId, at, "application/json", body), parsed));
                added += parsed.Count;
                at += step * parsed.Count;
            }
            await ingest.CommitAsync(batches, CancellationToken.None);
            // Process what was just stored: claims and outcomes as the worker writes them.
            var now = DateTimeOffset.UtcNow.AddDays(1);
            for (var claimed = await queue.ClaimAsync(5_000, now, TimeSpan.FromMinutes(5), "seed", CancellationToken.None); claimed.Count > 0;
                 claimed = await queue.ClaimAsync(5_000, now, TimeSpan.FromMinutes(5), "seed", CancellationToken.None))
            {
                var outcomes = claimed.Select(e => random.NextDouble() < 0.01
                    ? new AttemptOutcome(e, ProcessingStatus.Failed, e.ReceivedAt, e.ReceivedAt.AddMilliseconds(4), 4, "HttpRequestException: simulated", null)
                    : new AttemptOutcome(e, ProcessingStatus.Completed, e.ReceivedAt, e.ReceivedAt.AddMilliseconds(3), 3, null, null)).ToList();
                await queue.CompleteAsync(outcomes, "seed", CancellationToken.None);
            }
            if (added % 50_000 < 1_500) Console.Error.WriteLine($"seeded {added:#,0}/{count:#,0} in {watch.Elapsed.TotalSeconds:0}s");
        }
    }
}
