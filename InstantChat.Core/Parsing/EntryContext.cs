using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Parsing;

/// <summary>What every update of one <c>entry[]</c> item shares, and the one place events are built.</summary>
sealed record EntryContext(string DeliveryId, DateTimeOffset ReceivedAt, string? AccountId, DateTimeOffset? EntryTime, EventIds.Sequence Ids, string Platform = Platforms.Instagram)
{
    public WebhookEvent Create(
        string eventType,
        JsonElement update,
        string deduplicationKey,
        string? senderId = null,
        string? recipientId = null,
        DateTimeOffset? timestamp = null,
        EventContent? content = null,
        UserInfo? userInfo = null) => new()
    {
        EventId = Ids.Next(),
        EventType = eventType,
        Platform = Platform,
        AccountId = AccountId,
        SenderId = senderId,
        RecipientId = recipientId,
        Timestamp = timestamp ?? EntryTime ?? ReceivedAt,
        ReceivedAt = ReceivedAt,
        Payload = update.GetRawText(),
        Content = content ?? EventContent.Empty,
        UserInfo = userInfo ?? UserInfo.Empty,
        DeduplicationKey = deduplicationKey,
        DeliveryId = DeliveryId,
        NextAttemptAt = ReceivedAt,
    };

    /// <summary>An update that cannot be read: kept, under its account, as a failed <c>unknown</c> event.</summary>
    public WebhookEvent Unreadable(JsonElement update, string why) => Create(
        EventTypes.Unknown, update, $"{AccountId}:{EventTypes.Unknown}:h:{CanonicalJson.Hash(update)}") with
    {
        ProcessedStatus = ProcessingStatus.Failed,
        LastError = $"unparseable: {why}",
        NextAttemptAt = null,
    };

    /// <summary>
    /// A key from Meta's natural ids, scoped to the account (the same mid reaches both accounts
    /// when two businesses talk); when an id is missing, a hash of the canonical update instead.
    /// </summary>
    public string Key(string eventType, JsonElement update, params string?[] naturalIds) =>
        naturalIds.Length > 0 && naturalIds.All(p => !string.IsNullOrEmpty(p))
            ? $"{AccountId}:{eventType}:{string.Join(':', naturalIds)}"
            : $"{AccountId}:{eventType}:h:{CanonicalJson.Hash(update)}";
}
