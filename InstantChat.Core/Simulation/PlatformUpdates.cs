using System.Globalization;
using System.Text.Json.Nodes;

namespace InstantChat.Core.Simulation;

/// <summary>
/// Messenger and WhatsApp traffic for the demo, in Meta's shapes (Fixtures/Messenger, Fixtures/WhatsApp):
/// the same people write to the demo's Facebook Page and WhatsApp number. Business messages on
/// WhatsApp are sent through the API, so they appear only as statuses that move each one along
/// (sent, delivered, read; now and then failed); Messenger's echoes are followed by delivery and read
/// watermarks. Every id is fresh.
/// </summary>
sealed class PlatformUpdates(Random random, SimulatedIds ids)
{
    public const string PageId = "106000000000001";
    public const string WabaId = "102290129340398";
    public const string PhoneNumberId = "106540352242922";
    const string DisplayNumber = "15550783881";
    const int Remembered = 16;

    // Business messages whose next status is still to come: (wamid, recipient, statuses already sent).
    readonly List<(string Wamid, string WaId, int Sent)> _outgoing = [];
    // Echoes a Messenger customer has not yet had delivered / read: (psid, echo time).
    readonly List<(string Psid, long At)> _unread = [];

    static string Psid(Person p) => "55" + p.Id[2..];
    static string WaId(Person p) => "3519" + p.Id[^8..];

    /// <summary>One Messenger update: a customer's text or postback, the Page's reply, a receipt, or a comment on a post.</summary>
    public Update Messenger(long timestamp)
    {
        var person = random.Pick(Cast.People);
        var roll = random.Next(100);
        if (roll < 15 && _unread.Count > 0)
        {
            // A receipt for the Page's earlier reply: delivered, then read.
            var (psid, at) = _unread[0];
            _unread.RemoveAt(0);
            var receipt = random.Chance(0.5) ? "delivery" : "read";
            return new Update(PageId, "messaging", Messaging(psid, PageId, timestamp, receipt, new JsonObject { ["watermark"] = at }));
        }
        if (roll < 35)
        {
            var psid = Psid(person);
            _unread.Add((psid, timestamp));
            if (_unread.Count > Remembered) _unread.RemoveAt(0);
            var echo = new JsonObject { ["mid"] = MessengerMid(), ["is_echo"] = true, ["app_id"] = 1517776481860111, ["text"] = random.Pick(person.Language.Replies) };
            return new Update(PageId, "messaging", Messaging(PageId, psid, timestamp, "message", echo));
        }
        if (roll < 42)
        {
            var (title, payload) = random.Pick(Cast.Buttons);
            return new Update(PageId, "messaging", Messaging(Psid(person), PageId, timestamp, "postback",
                new JsonObject { ["mid"] = MessengerMid(), ["title"] = title, ["payload"] = payload }));
        }
        if (roll < 55)
        {
            var post = $"{PageId}_8{ids.MediaId()[2..]}";
            var comment = new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = Psid(person), ["name"] = person.Username },
                ["message"] = random.Pick(person.Language.Comments),
                ["post_id"] = post,
                ["comment_id"] = $"{post[(PageId.Length + 1)..]}_9{ids.CommentId()[2..]}",
                ["created_time"] = timestamp / 1_000,
                ["item"] = "comment",
                ["parent_id"] = post,
                ["verb"] = "add",
            };
            return new Update(PageId, "changes", new JsonObject { ["field"] = "feed", ["value"] = comment });
        }
        var text = new JsonObject { ["mid"] = MessengerMid(), ["text"] = random.Pick(person.Language.Asks) };
        return new Update(PageId, "messaging", Messaging(Psid(person), PageId, timestamp, "message", text));
    }

    /// <summary>One WhatsApp change: a customer's message (text, photo, location or reaction) or a status of the business's message.</summary>
    public Update WhatsApp(long timestamp)
    {
        var roll = random.Next(100);
        if (roll < 40 && _outgoing.Count > 0) return NextStatus(timestamp);
        if (roll < 55) return NewOutgoing(timestamp);
        var person = random.Pick(Cast.People);
        var message = new JsonObject { ["from"] = WaId(person), ["id"] = Wamid(), ["timestamp"] = Seconds(timestamp) };
        var kind = random.Next(10);
        if (kind == 9 && _outgoing.Count == 0) kind = 0; // nothing to react to yet: someone writes instead
        switch (kind)
        {
            case < 6: message["type"] = "text"; message["text"] = new JsonObject { ["body"] = random.Pick(person.Language.Asks) }; break;
            case < 8:
                message["type"] = "image";
                message["image"] = new JsonObject { ["caption"] = random.Pick(person.Language.Comments), ["mime_type"] = "image/jpeg", ["sha256"] = random.Token(43), ["id"] = ids.MediaId() };
                break;
            case 8:
                message["type"] = "location";
                message["location"] = new JsonObject { ["latitude"] = 38.7075, ["longitude"] = -9.1364, ["name"] = "Praça do Comércio", ["address"] = "1100-148 Lisboa" };
                break;
            default:
                message["type"] = "reaction";
                message["reaction"] = new JsonObject { ["message_id"] = random.Pick(_outgoing).Wamid, ["emoji"] = "👍" };
                break;
        }
        var contact = new JsonObject { ["profile"] = new JsonObject { ["name"] = person.Username }, ["wa_id"] = WaId(person) };
        return Change(new JsonObject { ["contacts"] = new JsonArray(contact), ["messages"] = new JsonArray(message) });
    }

    Update NewOutgoing(long timestamp)
    {
        var to = WaId(random.Pick(Cast.People));
        var wamid = Wamid();
        _outgoing.Add((wamid, to, 1));
        if (_outgoing.Count > Remembered) _outgoing.RemoveAt(0);
        return Change(new JsonObject { ["statuses"] = new JsonArray(Status(wamid, "sent", to, timestamp)) });
    }

    Update NextStatus(long timestamp)
    {
        var i = random.Next(_outgoing.Count);
        var (wamid, to, sent) = _outgoing[i];
        var failed = sent == 1 && random.Chance(0.05);
        var status = failed ? "failed" : sent == 1 ? "delivered" : "read";
        if (failed || sent == 2) _outgoing.RemoveAt(i);
        else _outgoing[i] = (wamid, to, sent + 1);
        var item = Status(wamid, status, to, timestamp);
        if (failed)
            item["errors"] = new JsonArray(new JsonObject
            {
                ["code"] = 131047, ["title"] = "Re-engagement message", ["message"] = "Re-engagement message",
                ["error_data"] = new JsonObject { ["details"] = "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
            });
        return Change(new JsonObject { ["statuses"] = new JsonArray(item) });
    }

    static JsonObject Status(string wamid, string status, string to, long timestamp) =>
        new() { ["id"] = wamid, ["status"] = status, ["timestamp"] = Seconds(timestamp), ["recipient_id"] = to };

    static Update Change(JsonObject value)
    {
        var full = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject { ["display_phone_number"] = DisplayNumber, ["phone_number_id"] = PhoneNumberId },
        };
        foreach (var (name, node) in value.ToList())
        {
            value.Remove(name);
            full[name] = node;
        }
        return new Update(WabaId, "changes", new JsonObject { ["value"] = full, ["field"] = "messages" });
    }

    static JsonObject Messaging(string sender, string recipient, long timestamp, string kind, JsonObject body) => new()
    {
        ["sender"] = new JsonObject { ["id"] = sender },
        ["recipient"] = new JsonObject { ["id"] = recipient },
        ["timestamp"] = timestamp,
        [kind] = body,
    };

    static string Seconds(long ms) => (ms / 1_000).ToString(CultureInfo.InvariantCulture);

    string MessengerMid() => $"m_{random.Token(86)}";

    string Wamid() => $"wamid.HBgL{Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{ids.MediaId()}{random.Token(8)}"))}";
}
