using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Parsing;

/// <summary>
/// Turns one delivery into events: one per update, from Instagram's, Messenger's (<c>"object":
/// "page"</c>) and WhatsApp's (<c>"whatsapp_business_account"</c>) envelopes, which share
/// <c>entry[]</c> and differ inside it. It never throws and never returns nothing: a body that is
/// not a Meta envelope becomes one <c>failed</c> event.
/// </summary>
public sealed class MetaParser
{
    static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public IReadOnlyList<WebhookEvent> Parse(ReadOnlyMemory<byte> body, string deliveryId, DateTimeOffset receivedAt, EventIds.Sequence? ids = null)
    {
        using var parsed = ParseDelivery(body, deliveryId, receivedAt, ids);
        return parsed.Events;
    }

    /// <summary>
    /// The delivery's events with, for each, the update it came from as parsed, for the handlers to
    /// read (no second parse). The updates live as long as the result: dispose it when done.
    /// </summary>
    public ParsedDelivery ParseDelivery(ReadOnlyMemory<byte> body, string deliveryId, DateTimeOffset receivedAt, EventIds.Sequence? ids = null)
    {
        ids ??= new EventIds.Sequence(receivedAt);
        // A UTF-8 byte order mark (relays and scripts add one) is not part of the JSON; the signature covered it already.
        if (body.Span.StartsWith("\uFEFF"u8)) body = body[3..];
        if (body.IsEmpty) return Unparseable(body, deliveryId, receivedAt, ids, "empty body");
        // The reader checks structure, not the bytes inside strings: check them once, up front.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span)) return Unparseable(body, deliveryId, receivedAt, ids, "the body is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            return Unparseable(body, deliveryId, receivedAt, ids, $"invalid JSON: {ex.Message}");
        }
        var root = doc.RootElement;
        var obj = root.ValueKind == JsonValueKind.Object ? root.Str("object") : null;
        var platform = Platforms.FromObject(obj);
        var why = root.ValueKind != JsonValueKind.Object ? "not a Meta envelope: the body is not a JSON object"
            : platform is null ? $"not a Meta envelope: object is \"{Truncate(obj!)}\" (instagram, page or whatsapp_business_account)"
            : root.Prop("entry") is not { ValueKind: JsonValueKind.Array } ? "not a Meta envelope: no \"entry\" array"
            : null;
        if (why is not null)
        {
            doc.Dispose();
            return Unparseable(body, deliveryId, receivedAt, ids, why, platform);
        }

        var parsed = new ParsedDelivery(doc);
        foreach (var entry in root.GetProperty("entry").EnumerateArray())
            ParseEntry(entry, new EntryContext(deliveryId, receivedAt, entry.Str("id"), entry.Prop("time").Time(), ids, platform!), parsed);
        if (parsed.Events.Count > 0) return parsed;
        parsed.Dispose();
        return Unparseable(body, deliveryId, receivedAt, ids, "the delivery holds no updates", platform);
    }

    static void ParseEntry(JsonElement entry, EntryContext ctx, ParsedDelivery parsed)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            parsed.Add(ctx.Unreadable(entry, "an entry is not a JSON object"), entry);
            return;
        }
        foreach (var property in entry.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array) continue; // id, time
            foreach (var item in property.Value.EnumerateArray())
            {
                try
                {
                    if (ctx.Platform == Platforms.WhatsApp && property.Name == "changes")
                    {
                        WhatsAppParser.Parse(item, ctx, parsed); // a change holds many messages and statuses
                        continue;
                    }
                    parsed.Add(property.Name switch
                    {
                        "messaging" => MessagingParser.Parse(item, item, ctx),
                        "changes" => ChangeParser.Parse(item, ctx),
                        // standby and any future array: kept under its own name, never dropped.
                        var name when EventTypes.IsWellFormed(name) => ctx.Create(name, item, ctx.Key(name, item)),
                        _ => ctx.Create("unknown_array", item, ctx.Key("unknown_array", item)),
                    }, item);
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
                {
                    // One odd update must not cost the delivery its other updates, nor its 200.
                    parsed.Add(ctx.Unreadable(item, $"{ex.GetType().Name}: {ex.Message}"), item);
                }
            }
        }
    }

    /// <param name="platform">The product the envelope's <c>object</c> named, when it named one.</param>
    static ParsedDelivery Unparseable(ReadOnlyMemory<byte> body, string deliveryId, DateTimeOffset receivedAt, EventIds.Sequence ids, string why,
        string? platform = null)
    {
        var parsed = new ParsedDelivery(null);
        parsed.Add(UnparseableEvent(body, deliveryId, receivedAt, ids, why) with { Platform = platform ?? Platforms.Instagram }, null);
        return parsed;
    }

    static WebhookEvent UnparseableEvent(ReadOnlyMemory<byte> body, string deliveryId, DateTimeOffset receivedAt, EventIds.Sequence ids, string why) => new()
    {
        EventId = ids.Next(),
        EventType = EventTypes.Unknown,
        Timestamp = receivedAt,
        ReceivedAt = receivedAt,
        // The bytes are in the delivery; a retry re-parses them from there.
        DeduplicationKey = $"unknown:h:{CanonicalJson.Hash(body.Span)}",
        DeliveryId = deliveryId,
        ProcessedStatus = ProcessingStatus.Failed,
        LastError = $"unparseable: {why}",
    };

    static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
