using System.Buffers;
using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Parsing;

/// <summary>
/// One WhatsApp Cloud API change. A <c>messages</c> change may carry several messages and statuses
/// (and the contacts who sent them): each becomes its own event, whose update is the change narrowed
/// to that one item (its metadata and its sender's contact kept), so the event reads alone, in
/// Meta's shape. Other fields (template status, account updates…) keep their own name.
/// </summary>
static class WhatsAppParser
{
    static readonly HashSet<string> Items = ["messages", "statuses", "contacts"];

    public static void Parse(JsonElement change, EntryContext ctx, ParsedDelivery parsed)
    {
        if (change.Str("field") != EventTypes.Messages || change.Prop("value") is not { ValueKind: JsonValueKind.Object } value)
        {
            parsed.Add(ChangeParser.Parse(change, ctx), change);
            return;
        }
        var messages = Array(value, "messages");
        var statuses = Array(value, "statuses");
        if (messages.Count + statuses.Count == 0)
        {
            // An errors-only value, or a shape to come: kept as it is.
            parsed.Add(ctx.Create(EventTypes.Messages, change, ctx.Key(EventTypes.Messages, change)), change);
            return;
        }
        var contacts = Array(value, "contacts");
        var phone = value.Prop("metadata").Prop("phone_number_id").Str();
        // The common case, one item in the change, needs no narrowing.
        var whole = messages.Count + statuses.Count == 1 && contacts.Count <= 1;
        foreach (var m in messages)
        {
            var contact = contacts.FirstOrDefault(c => c.Str("wa_id") == m.Str("from"));
            var update = whole ? change : Narrow(change, value, "messages", m, contact.ValueKind == JsonValueKind.Object ? contact : null, parsed);
            parsed.Add(Message(m, update, ctx, phone, contact), update);
        }
        foreach (var s in statuses)
        {
            var update = whole ? change : Narrow(change, value, "statuses", s, null, parsed);
            parsed.Add(Status(s, update, ctx, phone), update);
        }
    }

    static WebhookEvent Message(JsonElement m, JsonElement update, EntryContext ctx, string? phone, JsonElement contact)
    {
        if (m.ValueKind != JsonValueKind.Object) return ctx.Unreadable(update, "a message is not a JSON object");
        var type = m.Str("type");
        var eventType = type == "reaction" ? EventTypes.MessageReactions : EventTypes.Messages;
        var user = new UserInfo(null, contact.ValueKind == JsonValueKind.Object ? contact.Prop("profile").Prop("name").Str() : null, null);
        return ctx.Create(eventType, update, ctx.Key(eventType, m, m.Str("id")), m.Str("from"), phone, m.Prop("timestamp").Time(), Content(m, type), user);
    }

    /// <summary>What a person reads in the message, whatever its type.</summary>
    static EventContent Content(JsonElement m, string? type)
    {
        var body = type is null ? null : m.Prop(type);
        var context = m.Prop("context").Prop("id").Str();
        return type switch
        {
            "text" => new EventContent(body.Prop("body").Str(), null, null) { RefersTo = context },
            "image" or "video" or "audio" or "document" or "sticker" =>
                new EventContent(body.Prop("caption").Str() ?? body.Prop("filename").Str(), null, type) { MediaId = body.Prop("id").Str(), RefersTo = context },
            "location" => new EventContent(body.Prop("name").Str() ?? body.Prop("address").Str(), null, type)
            {
                Location = new Location(Number(body.Prop("latitude")), Number(body.Prop("longitude")), body.Prop("name").Str(), body.Prop("address").Str()),
                RefersTo = context,
            },
            "contacts" => new EventContent(First(body).Prop("name").Prop("formatted_name").Str(), null, type) { RefersTo = context },
            "interactive" => new EventContent(
                body.Prop("button_reply").Prop("title").Str() ?? body.Prop("list_reply").Prop("title").Str() ?? body.Prop("nfm_reply").Prop("body").Str(),
                null, type) { RefersTo = context },
            "button" => new EventContent(body.Prop("text").Str(), null, type) { RefersTo = context },
            "reaction" => new EventContent(body.Prop("emoji").Str(), null, null) { RefersTo = body.Prop("message_id").Str() },
            "order" => new EventContent(body.Prop("text").Str(), null, type) { RefersTo = context },
            "system" => new EventContent(body.Prop("body").Str(), null, type),
            _ => new EventContent(null, null, type is null || !EventTypes.IsWellFormed(type) ? "unsupported" : type) { RefersTo = context },
        };
    }

    static WebhookEvent Status(JsonElement s, JsonElement update, EntryContext ctx, string? phone)
    {
        if (s.ValueKind != JsonValueKind.Object) return ctx.Unreadable(update, "a status is not a JSON object");
        var wamid = s.Str("id");
        var status = s.Str("status");
        var error = First(s.Prop("errors"));
        // A failure's code and title are what a person searches for.
        var text = status == "failed" && error is { } e ? $"{e.Str("code")}: {e.Str("title") ?? e.Str("message")}" : null;
        return ctx.Create(EventTypes.Statuses, update, ctx.Key(EventTypes.Statuses, s, wamid, status), phone, s.Str("recipient_id"),
            s.Prop("timestamp").Time(), new EventContent(text, null, null) { RefersTo = wamid });
    }

    /// <summary><c>{"field":"messages","value":{…, "contacts":[its contact], "messages"|"statuses":[the item]}}</c>.</summary>
    static JsonElement Narrow(JsonElement change, JsonElement value, string array, JsonElement item, JsonElement? contact, ParsedDelivery parsed)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var p in change.EnumerateObject())
            {
                if (p.NameEquals("value")) continue;
                p.WriteTo(w);
            }
            w.WritePropertyName("value");
            w.WriteStartObject();
            foreach (var p in value.EnumerateObject())
                if (!Items.Contains(p.Name)) p.WriteTo(w);
            if (contact is { } c)
            {
                w.WriteStartArray("contacts");
                c.WriteTo(w);
                w.WriteEndArray();
            }
            w.WriteStartArray(array);
            item.WriteTo(w);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return parsed.Own(JsonDocument.Parse(buffer.WrittenMemory.ToArray()));
    }

    static List<JsonElement> Array(JsonElement value, string name) =>
        value.Prop(name) is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : [];

    static JsonElement? First(JsonElement? list) =>
        list is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 0 ? a[0] : null;

    static double? Number(JsonElement? e) => e switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetDouble(out var d) => d,
        { ValueKind: JsonValueKind.String } s when double.TryParse(s.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
