using InstantChat.Core.Security;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoUserStore(MongoDatabase db) : IUserStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<User>>(async () =>
        (await db.Users.Find(F.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("username")).ToListAsync(ct)).Select(FromDocument).ToList());

    public Task<User?> FindAsync(string userId, CancellationToken ct) => FindOneAsync(F.Eq("_id", userId), ct);

    public Task<User?> FindByNameAsync(string username, CancellationToken ct) => FindOneAsync(F.Eq("username", username), ct);

    public Task<bool> CreateAsync(User user, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        try
        {
            await db.Users.InsertOneAsync(ToDocument(user), cancellationToken: ct);
            return true;
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
            return false;
        }
    });

    public Task<bool> UpdateAsync(User user, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Users.ReplaceOneAsync(F.Eq("_id", user.UserId), ToDocument(user), cancellationToken: ct)).MatchedCount == 1);

    public Task<bool> UpdateStampAsync(string userId, string securityStamp, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Users.UpdateOneAsync(F.Eq("_id", userId), Builders<BsonDocument>.Update.Set("securityStamp", securityStamp), cancellationToken: ct)).MatchedCount == 1);

    public Task<bool> DeleteAsync(string userId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Users.DeleteOneAsync(F.Eq("_id", userId), ct)).DeletedCount == 1);

    Task<User?> FindOneAsync(FilterDefinition<BsonDocument> filter, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.Users.Find(filter).FirstOrDefaultAsync(ct) is { } d ? FromDocument(d) : null);

    static BsonDocument ToDocument(User u) => new()
    {
        { "_id", u.UserId }, { "username", u.Username }, { "role", u.Role }, { "passwordHash", u.PasswordHash }, { "disabled", u.Disabled },
        { "securityStamp", u.SecurityStamp }, { "createdAt", u.CreatedAt.ToUnixTimeMilliseconds() },
    };

    // Documents written before security stamps have none (and may still carry the old lockout's
    // failedLogins/lockedUntil, ignored here and dropped by the next replace): an empty stamp, which
    // no cookie issued before stamps carries, so those cookies end; sign-ins from then on work.
    static User FromDocument(BsonDocument d) => new(
        d["_id"].AsString, d["username"].AsString, d["role"].AsString, d["passwordHash"].AsString, d["disabled"].AsBoolean,
        d.TryGetValue("securityStamp", out var stamp) && stamp.IsString ? stamp.AsString : "", DateTimeOffset.FromUnixTimeMilliseconds(d["createdAt"].ToInt64()));
}
