// The processor alone, without HTTP: N deliveries appended to the log (the product's own
// TrafficGenerator), then the product's LogProcessor takes them in batches and commits what it makes
// of them (events, threads, stats, deliveries, log position), timed until the log is drained.
// Also: bytes of store per event. --sql runs a what-if (drop an index or a trigger) before the timed run.
// Usage: dotnet StoreBench.dll [--deliveries 20000] [--traffic single,mixed,platforms,messenger,whatsapp] [--runs 1] [--sql "DDL"]
//        [--mongo URI: the same on MongoDB (a fresh database per run), counting the driver's round trips]
using System.Diagnostics;
using System.Globalization;
using InstantChat.Core.Processing;
using InstantChat.Core.Simulation;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using Microsoft.Extensions.DependencyInjection;

var opts = BenchStore.Options(args);
var count = int.Parse(opts.GetValueOrDefault("deliveries", "20000"), CultureInfo.InvariantCulture);
var runs = int.Parse(opts.GetValueOrDefault("runs", "1"), CultureInfo.InvariantCulture);
var traffics = opts.GetValueOrDefault("traffic", "single,mixed").Split(',');
var mongo = opts.GetValueOrDefault("mongo");
// The driver's command events, as /metrics counts them (MongoCommandMetrics), summed here by command and collection.
var commands = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
// This program's own "is the log drained yet?" questions are not the processor's: left out of the count.
var polling = new AsyncLocal<bool>();
using var listener = new System.Diagnostics.Metrics.MeterListener();
listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "instantchat.mongodb.commands") l.EnableMeasurementEvents(instrument); };
listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
{
    if (polling.Value) return;
    string command = "", collection = "";
    foreach (var t in tags)
    {
        if (t.Key == "command") command = t.Value?.ToString() ?? "";
        else if (t.Key == "collection") collection = t.Value?.ToString() ?? "";
    }
    commands.AddOrUpdate($"{command} {collection}", value, (_, n) => n + value);
});
listener.Start();

Console.WriteLine($"what-if: {opts.GetValueOrDefault("sql", "none")}");
Console.WriteLine(mongo is null
    ? "| traffic | deliveries | events | µs per event | µs per delivery | events/s | store bytes per event | of which the update's JSON copy |\n|---|---|---|---|---|---|---|---|"
    : "| traffic | deliveries | events | µs per event | µs per delivery | events/s | round trips to append (per delivery) | round trips to process (per event) |\n|---|---|---|---|---|---|---|---|");
foreach (var traffic in traffics)
{
    for (var run = 0; run < runs; run++)
    {
        var dir = Directory.CreateTempSubdirectory("storebench").FullName;
        var uri = mongo is null ? null : mongo.Replace("/?", $"/storebench{Environment.TickCount64}?", StringComparison.Ordinal);
        await using (var sp = await BenchStore.OpenAsync(dir, uri))
        {
            if (opts.TryGetValue("sql", out var sql)) Exec(Path.Combine(dir, "instantchat.db"), sql);
            commands.Clear();
            var generator = new TrafficGenerator(new Random(7 + run), TimeProvider.System);
            var log = sp.GetRequiredService<IDeliveryLog>();
            for (var i = 0; i < count; i += 500)
            {
                var group = Enumerable.Range(0, Math.Min(500, count - i)).Select(_ =>
                {
                    var at = DateTimeOffset.UtcNow;
                    return new LogAppend(EventIds.New(at), at, "application/json", traffic switch
                    {
                        "single" => generator.NextMessage(),
                        "platforms" => generator.NextMessageOfEachPlatform(),
                        "messenger" or "whatsapp" => generator.NextMessageOf(traffic),
                        _ => generator.NextDelivery(),
                    }, null);
                }).ToList();
                await log.AppendAsync(group, CancellationToken.None);
            }
            var appends = commands.Values.Sum();
            commands.Clear();
            // The processor as the host runs it (its loop, on the background lane), until the log is drained.
            var processor = sp.GetRequiredService<LogProcessor>();
            var consumer = sp.GetRequiredService<ILogConsumer>();
            var watch = Stopwatch.StartNew();
            await processor.StartAsync(CancellationToken.None);
            while (await DrainedAsync() is false) await Task.Delay(5);
            var us = watch.Elapsed.TotalMicroseconds;

            async Task<bool> DrainedAsync()
            {
                polling.Value = true;
                try { return (await consumer.BacklogAsync(CancellationToken.None)).Deliveries == 0; }
                finally { polling.Value = false; }
            }
            await processor.StopAsync(CancellationToken.None);
            var processing = commands.Values.Sum();
            var events = (int)(await sp.GetRequiredService<InstantChat.Core.Stats.StatsService>().ReportAsync(CancellationToken.None)).Total;
            if (uri is not null)
            {
                // The log was filled in groups of 500 here; the host's group commits are what the ack pays (bench/run).
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {traffic} | {count:#,0} | {events:#,0} | {us / Math.Max(1, events):0.0} | {us / count:0.0} | {events / watch.Elapsed.TotalSeconds:#,0} | {appends / (double)count:0.000} | {processing / (double)Math.Max(1, events):0.000} |"));
                Console.WriteLine("  processing commands: " + string.Join(", ", commands.OrderByDescending(c => c.Value).Select(c => $"{c.Key}={c.Value}")));
                continue;
            }
            Checkpoint(Path.Combine(dir, "instantchat.db"));
            var bytes = new FileInfo(Path.Combine(dir, "instantchat.db")).Length;
            var payload = Scalar(Path.Combine(dir, "instantchat.db"), "SELECT COALESCE(SUM(length(payload)), 0) FROM events");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {traffic} | {count:#,0} | {events:#,0} | {us / Math.Max(1, events):0.0} | {us / count:0.0} | {events / watch.Elapsed.TotalSeconds:#,0} | {bytes / Math.Max(1, events):#,0} | {payload / Math.Max(1, events):#,0} |"));
        }
        Directory.Delete(dir, recursive: true);
    }
}

// What-if experiments on the schema (drop an index, change a pragma) before the timed commits.
static void Exec(string path, string sql) => Query(path, sql, c => c.ExecuteNonQuery());

static long Scalar(string path, string sql) => Convert.ToInt64(Query(path, sql, c => c.ExecuteScalar()), CultureInfo.InvariantCulture);

static T Query<T>(string path, string sql, Func<Microsoft.Data.Sqlite.SqliteCommand, T> run)
{
    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    return run(command);
}

// The file's size with the write-ahead log folded in.
static void Checkpoint(string path) => Exec(path, "PRAGMA wal_checkpoint(TRUNCATE)");
