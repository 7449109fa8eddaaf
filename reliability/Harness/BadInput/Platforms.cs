using Reliability.Common;

namespace Reliability;

// Messenger and WhatsApp envelopes on Meta's route: odd shapes are kept (their events stored, failed
// where a handler cannot read them), never a 5xx, never a lost delivery.
static partial class BadInput
{
    const string MetaRoute = "/api/webhooks/meta";

    static IEnumerable<Case> PlatformCases(Context ctx)
    {
        Case Readable(string name, Func<string, byte[]> body, int events = 1) => new("platforms", name, $"200, {events} event(s) stored for its account", async () =>
        {
            var account = ctx.NewAccount();
            var status = await PostSignedAsync(ctx, body(account), MetaRoute);
            return status != 200 ? $"got {status}" : await StoredAsync(ctx, account, events);
        });
        Case Kept(string name, Func<string, byte[]> body) => new("platforms", name, "200, the delivery kept with its events (normal or failed)", async () =>
        {
            var (status, text) = await PostSignedWithBodyAsync(ctx, body(ctx.NewAccount()), MetaRoute);
            return status != 200 ? $"got {status}: {Short(text)}" : await DeliveryKeptAsync(ctx, text);
        });
        var unique = () => ctx.NewMid();
        const string Metadata = "\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"}";
        static string Status(string wamid, string status, string ts = "\"1764331260\"") =>
            $"{{\"id\":\"{wamid}\",\"status\":\"{status}\",\"timestamp\":{ts},\"recipient_id\":\"16505551234\"}}";

        yield return Readable("WhatsApp: 1,000 statuses in one change", acct =>
            WhatsApp(acct, $"{Metadata},\"statuses\":[{string.Join(',', Enumerable.Range(0, 1_000).Select(_ => Status(unique(), "delivered")))}]"), events: 1_000);
        yield return Readable("WhatsApp: the same message twice in one change (stored once)", acct =>
        {
            var message = WhatsAppText(unique(), "twice");
            return WhatsApp(acct, $"{Metadata},\"messages\":[{message},{message}]");
        });
        yield return Kept("WhatsApp: messages of every JSON type", acct =>
            WhatsApp(acct, $"{Metadata},\"contacts\":[7,null,{{\"wa_id\":{{}}}}],\"messages\":[1,\"s\",null,true,[],{{}},{{\"type\":{{}}}},{WhatsAppText(unique(), "ok")}]"));
        yield return Kept("WhatsApp: messages is an object, statuses a string", acct =>
            WhatsApp(acct, $"{Metadata},\"messages\":{{\"id\":\"{unique()}\"}},\"statuses\":\"read\""));
        yield return Kept("WhatsApp: no metadata (no phone number to put the thread under)", acct =>
            WhatsApp(acct, $"\"messages\":[{WhatsAppText(unique(), "where")}]"));
        yield return Kept("WhatsApp: status \"exploded\", timestamp \"soon\", errors an object", acct =>
            WhatsApp(acct, $"{Metadata},\"statuses\":[{Status(unique(), "exploded", "\"soon\"")[..^1]},\"errors\":{{\"code\":1}}}}]"));
        yield return Kept("WhatsApp: unknown message type and a 200-character type name", acct =>
            WhatsApp(acct, $"{Metadata},\"messages\":[{{\"from\":\"16505551234\",\"id\":\"{unique()}\",\"timestamp\":\"1764331199\",\"type\":\"hologram\",\"hologram\":{{}}}}," +
                $"{{\"from\":\"16505551234\",\"id\":\"{unique()}\",\"timestamp\":\"1764331199\",\"type\":\"{new string('t', 200)}\"}}]"));
        yield return Kept("WhatsApp: value is an array, field is a number", acct =>
            U($"{{\"object\":\"whatsapp_business_account\",\"entry\":[{{\"id\":\"{acct}\",\"changes\":[{{\"field\":\"messages\",\"value\":[]}},{{\"field\":7,\"value\":{{\"x\":\"{unique()}\"}}}}]}}]}}"));
        yield return Failed("WhatsApp: entry is a string", () => U($"{{\"object\":\"whatsapp_business_account\",\"entry\":\"{unique()}\"}}"));
        yield return Kept("Messenger: read without watermark, delivery watermark \"yesterday\", reaction without mid", acct =>
            U($"{{\"object\":\"page\",\"entry\":[{{\"id\":\"{acct}\",\"time\":1764331200500,\"messaging\":[" +
              $"{{\"sender\":{{\"id\":\"5500000000000001\"}},\"recipient\":{{\"id\":\"{acct}\"}},\"timestamp\":1764331240030,\"read\":{{}}}}," +
              $"{{\"sender\":{{\"id\":\"5500000000000001\"}},\"recipient\":{{\"id\":\"{acct}\"}},\"delivery\":{{\"watermark\":\"yesterday\",\"mids\":[\"{unique()}\"]}}}}," +
              $"{{\"sender\":{{\"id\":\"5500000000000001\"}},\"recipient\":{{\"id\":\"{acct}\"}},\"timestamp\":1764331240031,\"reaction\":{{\"action\":\"react\",\"emoji\":\"x\"}}}}]}}]}}"));
        yield return Kept("Messenger: feed comment without post_id or comment_id, value an array", acct =>
            U($"{{\"object\":\"page\",\"entry\":[{{\"id\":\"{acct}\",\"time\":1764331201,\"changes\":[" +
              $"{{\"field\":\"feed\",\"value\":{{\"item\":\"comment\",\"verb\":\"add\",\"message\":\"{unique()}\"}}}},{{\"field\":\"feed\",\"value\":[1,2]}}]}}]}}"));

        Case Failed(string name, Func<byte[]> body) =>
            new("platforms", name, "200, kept as a failed `unknown` event", () => ExpectKeptFailedAsync(ctx, body(), MetaRoute));
    }

    static byte[] WhatsApp(string account, string value) =>
        U($"{{\"object\":\"whatsapp_business_account\",\"entry\":[{{\"id\":\"{account}\",\"changes\":[{{\"value\":{{\"messaging_product\":\"whatsapp\",{value}}},\"field\":\"messages\"}}]}}]}}");

    static string WhatsAppText(string wamid, string text) =>
        $"{{\"from\":\"16505551234\",\"id\":\"{wamid}\",\"timestamp\":\"1764331199\",\"type\":\"text\",\"text\":{{\"body\":{JsonString(text)}}}}}";
}
