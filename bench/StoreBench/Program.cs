// The SQLite writer's cost per stored event, without HTTP: realistic deliveries (the product's
// TrafficGenerator, parsed beforehand) committed through the product's IIngestStore in groups of
// N deliveries, as the group commit forms them under load.
// Usage: dotnet StoreBench.dll [--deliveries 20000] [--groups 8,64,500]
using System.Diagnostics;
using System.Globalization;
using InstantChat.Core.Parsing;
using InstantChat.Core.Simulation;
using InstantChat.Core.Storage;
using InstantChat.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;

var opts = BenchStore.Options(args);
var count = int.Parse(opts.GetValueOrDefault("deliveries", "20000"), CultureInfo.InvariantCulture);
var groups = opts.GetValueOrDefault("groups", "8,64,500").Split(',').Select(int.Parse).ToArray();
var generator = new TrafficGenerator(new Random(7), TimeProvider.System);
var parser = new InstagramParser();

Console.WriteLine("| deliveries per commit | events | µs per event | µs per delivery | events/s |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var group in groups)
{
    var dir = Directory.CreateTempSubdirectory("storebench").FullName;
    await using var sp = await BenchStore.OpenAsync(dir);
    var store = sp.GetRequiredService<IIngestStore>();
    if (opts.TryGetValue("sql", out var sql)) Exec(Path.Combine(dir, "instantchat.db"), sql);

    var batches = new List<IngestBatch>(count);
    for (var i = 0; i < count; i++)
    {
        var body = generator.NextDelivery();
        var receivedAt = DateTimeOffset.UtcNow;
        var ids = new EventIds.Sequence(receivedAt);
        var id = ids.Next();
        batches.Add(new IngestBatch(new Delivery(id, receivedAt, "application/json", body), parser.Parse(body, id, receivedAt, ids)));
    }
    var events = batches.Sum(b => b.Events.Count);
    // The group commit runs one commit at a time per store, as the ingest writer does.
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < batches.Count; i += group)
        await store.CommitAsync(batches.GetRange(i, Math.Min(group, batches.Count - i)), CancellationToken.None);
    var us = watch.Elapsed.TotalMicroseconds;
    Console.WriteLine($"| {group} | {events:#,0} | {us / events:0.0} | {us / count:0} | {events / watch.Elapsed.TotalSeconds:#,0} |");
}

// What-if experiments on the schema (drop an index, change a pragma) before the timed commits.
static void Exec(string path, string sql)
{
    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}
