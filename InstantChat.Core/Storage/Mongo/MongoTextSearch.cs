using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Text search on MongoDB without a scan: each event carries the distinct lower-case words of its
/// text and username (a multikey index), and each word of the query must begin one of them — an
/// anchored regular expression, which walks the index range instead of the collection.
/// </summary>
static class MongoTextSearch
{
    public const string Field = "words";
    const int MaxWords = 200, MaxWordLength = 40;
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public static BsonArray Words(string? text, string? username) =>
        new(Tokens(text).Concat(Tokens(username)).Distinct(StringComparer.Ordinal).Take(MaxWords));

    /// <summary>The query's words as index-range filters; null when it has none (it cannot match).</summary>
    public static FilterDefinition<BsonDocument>? Filter(string q)
    {
        var words = Tokens(q).Distinct(StringComparer.Ordinal).ToList();
        if (words.Count == 0) return null;
        return F.And(words.Select(w => F.Regex(Field, new BsonRegularExpression("^" + System.Text.RegularExpressions.Regex.Escape(w)))));
    }

    static IEnumerable<string> Tokens(string? s)
    {
        if (string.IsNullOrEmpty(s)) yield break;
        var word = new StringBuilder();
        foreach (var rune in s.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune)) { if (word.Length < MaxWordLength) word.Append(Rune.ToLowerInvariant(rune).ToString()); continue; }
            if (word.Length > 0) { yield return word.ToString(); word.Clear(); }
        }
        if (word.Length > 0) yield return word.ToString();
    }

    /// <summary>Gives events stored before the index their words, a batch at a time; safe to run on every host.</summary>
    public static async Task BackfillAsync(MongoDatabase db, CancellationToken ct)
    {
        while (true)
        {
            var batch = await db.Events.Find(F.Exists(Field, false)).Limit(1_000).ToListAsync(ct);
            if (batch.Count == 0) return;
            var updates = batch.Select(d => new UpdateOneModel<BsonDocument>(F.Eq("_id", d["_id"]),
                Builders<BsonDocument>.Update.Set(Field, Words(MongoEventDocuments.Str(d, "text"), MongoEventDocuments.Str(d, "username")))));
            await db.Events.BulkWriteAsync(updates, new BulkWriteOptions { IsOrdered = false }, ct);
        }
    }
}
