using InstantChat.Core.Notifications;
using InstantChat.Core.EventModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Brings other hosts' news into this host's event feed. On a MongoDB that has change streams it
/// follows the events collection's change stream; where there are none (a server without them, or
/// a standalone) it polls: every second it reads the events changed in a short look-back window
/// (by <c>updatedAt</c>, indexed). Either way it publishes only what this host has not published
/// itself; the window absorbs clock skew and commits that land out of order.
/// </summary>
public sealed partial class MongoEventPoller(MongoDatabase db, IEventFeed feed, TimeProvider clock, ILogger<MongoEventPoller> logger) : BackgroundService
{
    readonly MongoDeliveryBodies _bodies = new(db);
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan LookBack = TimeSpan.FromSeconds(10);
    // Per event: whether this host has announced it as received, and the last state it published.
    readonly Dictionary<string, (bool Announced, string Version, DateTimeOffset SeenAt)> _seen = new(StringComparer.Ordinal);
    readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var local = feed.Subscribe(Remember);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowChangeStreamAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is MongoCommandException or NotSupportedException && !stoppingToken.IsCancellationRequested)
            {
                LogNoChangeStreams(ex.Message);
                break; // this server has no change streams: poll from now on
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(ex.Message);
                await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException)
            {
                LogPollFailed(ex.Message);
            }
            await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    async Task FollowChangeStreamAsync(CancellationToken cancellationToken)
    {
        var pipeline = new EmptyPipelineDefinition<ChangeStreamDocument<BsonDocument>>()
            .Match(c => c.OperationType == ChangeStreamOperationType.Insert || c.OperationType == ChangeStreamOperationType.Update
                        || c.OperationType == ChangeStreamOperationType.Replace);
        using var cursor = await db.Events.WatchAsync(pipeline,
            new ChangeStreamOptions { FullDocument = ChangeStreamFullDocumentOption.UpdateLookup }, cancellationToken);
        // Whatever changed while the stream was (re)opening comes from one look-back read.
        await PollOnceAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
            await PublishAsync(cursor.Current.Where(c => c.FullDocument is not null).Select(c => c.FullDocument).ToList(), cancellationToken);
    }

    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var since = (clock.GetUtcNow() - LookBack).ToUnixTimeMilliseconds();
        await PublishAsync(await db.Events.Find(Builders<BsonDocument>.Filter.Gte("updatedAt", since))
            .Sort(Builders<BsonDocument>.Sort.Ascending("updatedAt")).Limit(5_000).ToListAsync(cancellationToken), cancellationToken);
    }

    async Task PublishAsync(IReadOnlyList<BsonDocument> docs, CancellationToken cancellationToken)
    {
        var received = new List<WebhookEvent>();
        var updated = new List<WebhookEvent>();
        lock (_gate)
        {
            foreach (var e in docs.Select(MongoEventDocuments.FromDocument))
            {
                // Another host's worker may finish an event before this host first sees it: it is still news here.
                if (!_seen.TryGetValue(e.EventId, out var seen) || !seen.Announced) received.Add(e);
                else if (seen.Version != Version(e)) updated.Add(e);
            }
            Prune();
        }
        // Only what is news gets its update's JSON cut out of the delivery's bytes (the REST shape has it).
        feed.Publish(EventChange.Received, await UpdatePayloads.FillAsync(received, _bodies, cancellationToken));
        feed.Publish(EventChange.Updated, await UpdatePayloads.FillAsync(updated, _bodies, cancellationToken));
    }

    void Remember(EventChange change, IReadOnlyList<WebhookEvent> events)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
            foreach (var e in events)
                _seen[e.EventId] = (change == EventChange.Received || _seen.GetValueOrDefault(e.EventId).Announced, Version(e), now);
    }

    void Prune()
    {
        var cutoff = clock.GetUtcNow() - LookBack * 3;
        foreach (var id in _seen.Where(kv => kv.Value.SeenAt < cutoff).Select(kv => kv.Key).ToList()) _seen.Remove(id);
    }

    static string Version(WebhookEvent e) => $"{e.ProcessedStatus.ToWire()}:{e.Attempts}";

    [LoggerMessage(LogLevel.Information, "MongoDB has no change streams here ({Error}); following other hosts' events by polling")]
    partial void LogNoChangeStreams(string error);

    [LoggerMessage(LogLevel.Warning, "Following other hosts' events failed: {Error}")]
    partial void LogPollFailed(string error);
}
