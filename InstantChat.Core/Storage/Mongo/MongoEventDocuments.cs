using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using MongoDB.Bson;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>The one mapping between <see cref="WebhookEvent"/> and its document, both ways.</summary>
static class MongoEventDocuments
{
    public static BsonDocument ToDocument(WebhookEvent e) => new()
    {
        { "_id", e.EventId },
        { "dedupKey", e.DeduplicationKey },
        { "eventType", e.EventType },
        { "platform", e.Platform },
        { "accountId", Str(e.AccountId) },
        { "senderId", Str(e.SenderId) },
        { "recipientId", Str(e.RecipientId) },
        { "timestamp", e.Timestamp.ToUnixTimeMilliseconds() },
        { "receivedAt", e.ReceivedAt.ToUnixTimeMilliseconds() },
        { "deliveryId", e.DeliveryId },
        { "payload", Str(e.Payload) },
        { "text", Str(e.Content.Text) },
        { "mediaUrl", Str(e.Content.MediaUrl) },
        { "mediaType", Str(e.Content.MediaType) },
        { "contentExtra", Str(ContentExtras.Write(e.Content)) },
        { "username", Str(e.UserInfo.Username) },
        { "fullName", Str(e.UserInfo.FullName) },
        { "profilePicture", Str(e.UserInfo.ProfilePicture) },
        { MongoTextSearch.Field, MongoTextSearch.Words(e.Content.Text, e.UserInfo.Username) },
        { "status", e.ProcessedStatus.ToWire() },
        { "attempts", e.Attempts },
        { "lastError", Str(e.LastError) },
        { "processedAt", Ms(e.ProcessedAt) },
        { "processingMs", e.ProcessingMs is { } ms ? ms : BsonNull.Value },
        // Only pending events are in the queue; a finished one (unparseable) has no due time.
        { "nextAttemptAt", e.ProcessedStatus == ProcessingStatus.Pending ? (e.NextAttemptAt ?? e.ReceivedAt).ToUnixTimeMilliseconds() : BsonNull.Value },
        { "updatedAt", e.ReceivedAt.ToUnixTimeMilliseconds() },
    };

    public static WebhookEvent FromDocument(BsonDocument d) => new()
    {
        EventId = d["_id"].AsString,
        DeduplicationKey = d["dedupKey"].AsString,
        EventType = d["eventType"].AsString,
        AccountId = Str(d, "accountId"),
        SenderId = Str(d, "senderId"),
        RecipientId = Str(d, "recipientId"),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(d["timestamp"].ToInt64()),
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(d["receivedAt"].ToInt64()),
        DeliveryId = d["deliveryId"].AsString,
        Payload = Str(d, "payload"),
        Platform = Str(d, "platform") ?? Platforms.Instagram,
        Content = ContentExtras.Read(new EventContent(Str(d, "text"), Str(d, "mediaUrl"), Str(d, "mediaType")), Str(d, "contentExtra")),
        UserInfo = new UserInfo(Str(d, "username"), Str(d, "fullName"), Str(d, "profilePicture")),
        ProcessedStatus = ProcessingStatuses.TryParse(Str(d, "status"), out var s) ? s : ProcessingStatus.Failed,
        Attempts = d.GetValue("attempts", 0).ToInt32(),
        LastError = Str(d, "lastError"),
        ProcessedAt = Time(d, "processedAt"),
        ProcessingMs = d.GetValue("processingMs", BsonNull.Value) is { IsNumeric: true } v ? v.ToDouble() : null,
        NextAttemptAt = Time(d, "nextAttemptAt"),
    };

    public static BsonValue Str(string? value) => value is null ? BsonNull.Value : value;
    public static BsonValue Ms(DateTimeOffset? value) => value is { } t ? t.ToUnixTimeMilliseconds() : BsonNull.Value;

    public static string? Str(BsonDocument d, string name) => d.GetValue(name, BsonNull.Value) is { IsString: true } v ? v.AsString : null;

    public static DateTimeOffset? Time(BsonDocument d, string name) =>
        d.GetValue(name, BsonNull.Value) is { IsNumeric: true } v ? DateTimeOffset.FromUnixTimeMilliseconds(v.ToInt64()) : null;
}
