using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>Deliveries' bytes: the log document of the same id, or a record from before the log that kept its own.</summary>
public sealed class MongoDeliveryBodies(MongoDatabase db) : IDeliveryBodies
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken) =>
        MongoEventStore.Guard<IReadOnlyDictionary<string, byte[]>>(async () =>
        {
            var ids = deliveryIds.Select(id => (BsonValue)id).ToList();
            var bodies = (await db.Log.Find(F.In("_id", ids)).ToListAsync(cancellationToken))
                .ToDictionary(d => d["_id"].AsString, d => d["body"].AsBsonBinaryData.Bytes, StringComparer.Ordinal);
            var rest = ids.Where(id => !bodies.ContainsKey(id.AsString)).ToList();
            if (rest.Count > 0)
                foreach (var d in await db.Deliveries.Find(F.In("_id", rest)).ToListAsync(cancellationToken))
                    if (d.GetValue("body", BsonNull.Value) is BsonBinaryData { Bytes.Length: > 0 } own) bodies[d["_id"].AsString] = own.Bytes;
            return bodies;
        });
}
