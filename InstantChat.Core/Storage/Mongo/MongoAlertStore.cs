using System.Text.Json;
using InstantChat.Core.Outbound;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Alerts on MongoDB: an open alert also holds <c>alert_open/{rule|key}</c>, whose insert is what
/// opens it (a duplicate key means another host opened it first) and whose delete resolves it.
/// </summary>
public sealed class MongoAlertStore(MongoDatabase db) : IAlertStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<AlertRules> RulesAsync(CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.AlertRules.Find(F.Eq("_id", "rules")).FirstOrDefaultAsync(ct) is { } d
            ? JsonSerializer.Deserialize<AlertRules>(d["doc"].AsString, Json) ?? AlertRules.Defaults
            : AlertRules.Defaults);

    public Task SaveRulesAsync(AlertRules rules, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.AlertRules.ReplaceOneAsync(F.Eq("_id", "rules"), new BsonDocument { { "_id", "rules" }, { "doc", JsonSerializer.Serialize(rules, Json) } },
            new ReplaceOptions { IsUpsert = true }, ct));

    public Task<bool> OpenAsync(Alert a, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        try
        {
            await db.AlertOpen.InsertOneAsync(new BsonDocument { { "_id", $"{a.Rule}|{a.Key}" }, { "alertId", a.AlertId } }, cancellationToken: ct);
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
            return false;
        }
        await db.Alerts.InsertOneAsync(new BsonDocument
        {
            { "_id", a.AlertId }, { "rule", a.Rule }, { "key", a.Key }, { "title", a.Title }, { "detail", a.Detail },
            { "openedAt", a.OpenedAt.ToUnixTimeMilliseconds() }, { "resolvedAt", BsonNull.Value },
        }, cancellationToken: ct);
        return true;
    });

    public Task<Alert?> ResolveAsync(string rule, string key, DateTimeOffset at, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        if (await db.AlertOpen.FindOneAndDeleteAsync(F.Eq("_id", $"{rule}|{key}"), cancellationToken: ct) is not { } open) return null;
        await db.Alerts.UpdateOneAsync(F.Eq("_id", open["alertId"].AsString), Builders<BsonDocument>.Update.Set("resolvedAt", at.ToUnixTimeMilliseconds()), cancellationToken: ct);
        return await db.Alerts.Find(F.Eq("_id", open["alertId"].AsString)).FirstOrDefaultAsync(ct) is { } d ? Read(d) : null;
    });

    public Task<IReadOnlyList<Alert>> ListAsync(int limit, CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<Alert>>(async () =>
    {
        var docs = await db.Alerts.Find(F.Empty).Sort(Builders<BsonDocument>.Sort.Descending("openedAt")).Limit(Math.Max(limit, 200)).ToListAsync(ct);
        return docs.Select(Read).OrderBy(x => x.ResolvedAt is not null).ThenByDescending(x => x.OpenedAt).Take(limit).ToList();
    });

    static Alert Read(BsonDocument d) => new(d["_id"].AsString, d["rule"].AsString, d["key"].AsString, d["title"].AsString, d["detail"].AsString,
        DateTimeOffset.FromUnixTimeMilliseconds(d["openedAt"].ToInt64()),
        d.TryGetValue("resolvedAt", out var r) && r.IsNumeric ? DateTimeOffset.FromUnixTimeMilliseconds(r.ToInt64()) : null);
}
