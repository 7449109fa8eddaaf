using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// The delivery log as one collection every host appends to (one insertMany per group commit,
/// majority-journaled) and every host's processor takes from. A document is the delivery's bytes
/// and its state: pending, held by a processor (with a lease), or done.
/// </summary>
public sealed class MongoDeliveryLog(MongoDatabase db) : IDeliveryLog
{
    public const int Pending = 0, Held = 1, Done = 2;

    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<LogAppend> deliveries, CancellationToken cancellationToken)
    {
        // Delivery ids are ULIDs: the _id order is the log order (across hosts, to the millisecond).
        var documents = deliveries.Select(d => new BsonDocument
        {
            { "_id", d.DeliveryId },
            { "receivedAt", d.ReceivedAt.ToUnixTimeMilliseconds() },
            { "contentType", MongoEventDocuments.Str(d.ContentType) },
            { "vouched", d.Vouched is null ? BsonNull.Value : new BsonArray(d.Vouched) },
            { "body", new BsonBinaryData(d.Body.ToArray()) },
            { "state", Pending },
        });
        await MongoEventStore.Guard(async () =>
        {
            await db.Log.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, cancellationToken);
            return true;
        });
        return new long[deliveries.Count];
    }
}
