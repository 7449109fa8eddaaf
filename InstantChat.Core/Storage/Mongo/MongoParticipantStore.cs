using InstantChat.Core.People;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoParticipantStore(MongoDatabase db) : IParticipantStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly UpdateDefinitionBuilder<BsonDocument> U = Builders<BsonDocument>.Update;

    /// <summary>
    /// In the processor's commit steps: one unordered bulk of upserts, safe to repeat. A name is only
    /// ever set, never unset; where hosts commit one person's events out of order, the last commit's
    /// name wins (only $set: what jongodb and every MongoDB run alike), until that person's next event.
    /// </summary>
    internal static async Task RecordAsync(MongoDatabase db, IReadOnlyList<Participant> seen, CancellationToken ct)
    {
        if (seen.Count == 0) return;
        var upserts = seen.Select(s =>
        {
            var set = new List<UpdateDefinition<BsonDocument>> { U.Set("lastSeen", s.LastSeen.ToUnixTimeMilliseconds()) };
            if (s.Username is not null) set.Add(U.Set("username", s.Username));
            if (s.FullName is not null) set.Add(U.Set("fullName", s.FullName));
            if (s.ProfilePicture is not null) set.Add(U.Set("profilePicture", s.ProfilePicture));
            return new UpdateOneModel<BsonDocument>(F.Eq("_id", s.Id), U.Combine(set)) { IsUpsert = true };
        }).ToList();
        await db.Participants.BulkWriteAsync(upserts, new BulkWriteOptions { IsOrdered = false }, ct);
    }

    public Task<IReadOnlyDictionary<string, Participant>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        MongoEventStore.Guard<IReadOnlyDictionary<string, Participant>>(async () =>
        {
            if (ids.Count == 0) return new Dictionary<string, Participant>();
            var docs = await db.Participants.Find(F.In("_id", ids.Take(500))).ToListAsync(cancellationToken);
            return docs.ToDictionary(d => d["_id"].AsString, d => new Participant(d["_id"].AsString,
                MongoEventDocuments.Str(d, "username"), MongoEventDocuments.Str(d, "fullName"), MongoEventDocuments.Str(d, "profilePicture"),
                DateTimeOffset.FromUnixTimeMilliseconds(d["lastSeen"].ToInt64())), StringComparer.Ordinal);
        });
}
