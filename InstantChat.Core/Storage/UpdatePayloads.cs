using InstantChat.Core.EventModel;
using InstantChat.Core.Parsing;

namespace InstantChat.Core.Storage;

/// <summary>The bytes of deliveries by id (the log's, or a record's own), as the store keeps them.</summary>
public interface IDeliveryBodies
{
    /// <summary>The bytes of each delivery found; deliveries whose bytes are gone (retention) are left out.</summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken);
}

/// <summary>
/// An event's <c>payload</c> (its update's JSON) is not stored beside the delivery's raw bytes: the
/// processor's commit leaves it out (≈ 330 bytes, 16 % of the store per event: bench/RESULTS.md) and
/// a reader cuts it out of those bytes again. The parser is deterministic (same bytes, same
/// deduplication keys), so the update is found by its event's key. One parse per distinct delivery
/// of a page: a page of 100 events from 100 single-message deliveries parses 100 small bodies.
/// </summary>
public static class UpdatePayloads
{
    static readonly MetaParser Parser = new();

    public static async Task<List<WebhookEvent>> FillAsync(IReadOnlyList<WebhookEvent> events, IDeliveryBodies bodies, CancellationToken cancellationToken)
    {
        var filled = events as List<WebhookEvent> ?? [.. events];
        var wanted = filled.Where(Missing).Select(e => e.DeliveryId).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0) return filled;
        var payloads = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (deliveryId, body) in await bodies.ReadAsync(wanted, cancellationToken))
            foreach (var e in Parser.Parse(body, deliveryId, DateTimeOffset.UnixEpoch))
                if (e.Payload is { } payload) payloads.TryAdd(e.DeduplicationKey, payload);
        for (var i = 0; i < filled.Count; i++)
            if (Missing(filled[i]) && payloads.TryGetValue(filled[i].DeduplicationKey, out var payload))
                filled[i] = filled[i] with { Payload = payload };
        return filled;
    }

    public static async Task<WebhookEvent?> FillAsync(WebhookEvent? e, IDeliveryBodies bodies, CancellationToken cancellationToken) =>
        e is null || !Missing(e) ? e : (await FillAsync([e], bodies, cancellationToken))[0];

    // An unparseable delivery's event has no update to show (its bytes are the delivery's).
    static bool Missing(WebhookEvent e) => e.Payload is null && e.EventType != EventTypes.Unknown;
}
