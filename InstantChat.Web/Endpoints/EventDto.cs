using System.Text.Json;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;

namespace InstantChat.Web.Endpoints;

/// <summary>SPEC's WebhookEvent as the API and hub return it; <c>payload</c> is JSON, not a string.</summary>
public sealed record EventDto(
    string EventId,
    string EventType,
    string Platform,
    string? AccountId,
    string? SenderId,
    string? RecipientId,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    JsonElement? Payload,
    EventContent Content,
    UserInfo UserInfo,
    ProcessingStatus ProcessedStatus,
    int Attempts,
    string? LastError,
    DateTimeOffset? ProcessedAt,
    double? ProcessingMs,
    string DeduplicationKey,
    string DeliveryId,
    DateTimeOffset? NextAttemptAt)
{
    public static EventDto From(WebhookEvent e) => new(
        e.EventId, e.EventType, e.Platform, e.AccountId, e.SenderId, e.RecipientId, e.Timestamp, e.ReceivedAt,
        ParsePayload(e.Payload), e.Content, e.UserInfo, e.ProcessedStatus, e.Attempts, e.LastError,
        e.ProcessedAt, e.ProcessingMs, e.DeduplicationKey, e.DeliveryId, e.NextAttemptAt);

    static JsonElement? ParsePayload(string? payload)
    {
        if (payload is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var element = doc.RootElement.Clone();
            // A lone surrogate escape ("\ud800", e.g. half an emoji) parses but cannot be written back:
            // checked here, so one such update cannot turn every list, detail and hub message that holds it into a 500.
            if (payload.Contains("\\u", StringComparison.Ordinal)) JsonSerializer.SerializeToUtf8Bytes(element);
            return element;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return JsonSerializer.SerializeToElement(payload);
        }
    }
}

public sealed record EventListDto(IReadOnlyList<EventDto> Items, string? NextCursor);

/// <summary>
/// A delivery's metadata; its exact bytes are at <c>/api/webhooks/deliveries/{id}/body</c>. A
/// delivery that brought only updates already stored names the delivery that first brought them
/// (<c>sameAs</c>), whose bytes it serves; <c>replays</c> counts such later deliveries.
/// </summary>
public sealed record DeliveryDto(string DeliveryId, DateTimeOffset ReceivedAt, int Size, int EventCount, int DuplicateCount, string? ContentType, string? SameAs, int Replays)
{
    public static DeliveryDto From(DeliveryRecord d) => new(d.DeliveryId, d.ReceivedAt, d.Size, d.EventCount, d.DuplicateCount, d.ContentType, d.SameAs, d.Replays);
}

public sealed record AttemptListDto(IReadOnlyList<AttemptRecord> Items);
