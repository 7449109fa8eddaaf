using InstantChat.Core.Outbound;
using InstantChat.Core.Subscriptions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoDestinationStore(MongoDatabase db, SecretsAtRest secrets) : IDestinationStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task<IReadOnlyList<Destination>> ListAsync(CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<Destination>>(async () =>
        (await db.Destinations.Find(F.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(ct)).Select(Read).ToList());

    public Task<Destination?> FindAsync(string destinationId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.Destinations.Find(F.Eq("_id", destinationId)).FirstOrDefaultAsync(ct) is { } d ? Read(d) : null);

    public Task CreateAsync(Destination destination, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        await db.Destinations.InsertOneAsync(Write(destination), cancellationToken: ct);
        return true;
    });

    public Task<bool> UpdateAsync(Destination destination, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Destinations.ReplaceOneAsync(F.Eq("_id", destination.DestinationId), Write(destination), cancellationToken: ct)).MatchedCount == 1);

    public Task<bool> DeleteAsync(string destinationId, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var deleted = (await db.Destinations.DeleteOneAsync(F.Eq("_id", destinationId), ct)).DeletedCount == 1;
        await db.Outbound.DeleteManyAsync(F.Eq("destinationId", destinationId), ct); // its attempts are inside
        return deleted;
    });

    // The document is the same JSON SQLite keeps, as a string: one shape, one place that seals it.
    BsonDocument Write(Destination d) => new() { { "_id", d.DestinationId }, { "doc", DestinationDocument.Write(d, secrets) } };

    Destination Read(BsonDocument d) => DestinationDocument.Read(d["doc"].AsString, secrets);
}
