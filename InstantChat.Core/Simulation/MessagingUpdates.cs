using System.Text.Json.Nodes;

namespace InstantChat.Core.Simulation;

/// <summary>
/// <c>messaging[]</c> items in Meta's shapes (Fixtures/Instagram/messages_*.json, message_reactions_*,
/// messaging_*). Those that name an earlier message return null when the inbox has none to name.
/// </summary>
sealed class MessagingUpdates(Random random, Inbox inbox, SimulatedIds ids)
{
    /// <summary>A customer writes: mostly text, sometimes a quick reply, a reply to an earlier message or an ad's opener.</summary>
    public Update CustomerMessage(long timestamp)
    {
        var thread = inbox.AnyThread();
        var message = new JsonObject { ["mid"] = NewCustomerMid(thread), ["text"] = random.Pick(thread.Person.Language.Asks) };
        var roll = random.NextDouble();
        if (roll < 0.08 && thread.BusinessMids.Count > 0)
            message["reply_to"] = new JsonObject { ["mid"] = random.Pick(thread.BusinessMids) };
        else if (roll < 0.13)
            message["quick_reply"] = new JsonObject { ["payload"] = random.Pick(Cast.Buttons).Payload };
        else if (roll < 0.17)
            message["referral"] = AdReferral();
        return FromCustomer(thread, timestamp, "message", message);
    }

    /// <summary>A photo, a shared post or reel, a story mention, or a text answering a story.</summary>
    public Update CustomerAttachment(long timestamp)
    {
        var thread = inbox.AnyThread();
        var message = new JsonObject { ["mid"] = NewCustomerMid(thread) };
        var payload = new JsonObject { ["url"] = ids.CdnUrl(random) };
        switch (random.Next(10))
        {
            case < 4: message["attachments"] = Attachment("image", payload); break;
            case < 6: message["attachments"] = Attachment("share", payload); break;
            case < 8: message["attachments"] = Attachment("story_mention", payload); break;
            case 8:
                payload["title"] = "Autumn drop #reels";
                payload["reel_video_id"] = ids.MediaId();
                message["attachments"] = Attachment("ig_reel", payload);
                break;
            default:
                message["text"] = random.Pick(thread.Person.Language.Asks);
                message["reply_to"] = new JsonObject { ["story"] = new JsonObject { ["url"] = payload["url"]!.GetValue<string>(), ["id"] = ids.MediaId() } };
                break;
        }
        return FromCustomer(thread, timestamp, "message", message);
    }

    /// <summary>The business answers a waiting customer: an echo (sender is the business, <c>is_echo</c>).</summary>
    public Update? BusinessReply(long timestamp)
    {
        if (inbox.Find(t => t.AwaitingReply) is not { } thread) return null;
        var mid = ids.Mid(thread.Business.Id, thread.ThreadId);
        thread.AwaitingReply = false;
        Inbox.Remember(thread.BusinessMids, mid);
        Inbox.Remember(thread.UnreadMids, mid);
        var message = new JsonObject { ["mid"] = mid, ["text"] = random.Pick(thread.Person.Language.Replies), ["is_echo"] = true };
        return new Update(thread.Business.Id, "messaging", Item(thread.Business.Id, thread.Person.Id, timestamp, "message", message));
    }

    /// <summary>A customer reacts to a reply, or now and then takes a reaction back.</summary>
    public Update? Reaction(long timestamp)
    {
        if (random.Chance(0.15) && inbox.Find(t => t.ReactedMids.Count > 0) is { } undo)
        {
            var mid = random.Pick(undo.ReactedMids);
            undo.ReactedMids.Remove(mid);
            return FromCustomer(undo, timestamp, "reaction", new JsonObject { ["mid"] = mid, ["action"] = "unreact" });
        }
        if (inbox.Find(t => t.BusinessMids.Count > 0) is not { } thread) return null;
        var target = random.Pick(thread.BusinessMids);
        if (!thread.ReactedMids.Contains(target)) Inbox.Remember(thread.ReactedMids, target);
        var (reaction, emoji) = random.Pick(Cast.Reactions);
        return FromCustomer(thread, timestamp, "reaction",
            new JsonObject { ["mid"] = target, ["action"] = "react", ["reaction"] = reaction, ["emoji"] = emoji });
    }

    /// <summary>A read receipt for the newest unread reply (which marks every earlier one read too).</summary>
    public Update? Read(long timestamp)
    {
        if (inbox.Find(t => t.UnreadMids.Count > 0) is not { } thread) return null;
        var mid = thread.UnreadMids[^1];
        thread.UnreadMids.Clear();
        return FromCustomer(thread, timestamp, "read", new JsonObject { ["mid"] = mid });
    }

    /// <summary>A tap on a button of the business's template.</summary>
    public Update Postback(long timestamp)
    {
        var thread = inbox.AnyThread();
        var (title, payload) = random.Pick(Cast.Buttons);
        thread.AwaitingReply = true;
        return FromCustomer(thread, timestamp, "postback",
            new JsonObject { ["mid"] = ids.Mid(thread.Business.Id, thread.ThreadId), ["title"] = title, ["payload"] = payload });
    }

    /// <summary>Someone opens the thread from an ad or an ig.me link.</summary>
    public Update Referral(long timestamp)
    {
        var thread = inbox.AnyThread();
        var (reference, source) = random.Pick(Cast.Referrals);
        var referral = source == "ADS" ? AdReferral(reference) : new JsonObject { ["ref"] = reference, ["source"] = source, ["type"] = "OPEN_THREAD" };
        return FromCustomer(thread, timestamp, "referral", referral);
    }

    /// <summary>A customer unsends one of their messages; each is deleted at most once.</summary>
    public Update? Delete(long timestamp)
    {
        if (inbox.Find(t => t.CustomerMids.Count > 0) is not { } thread) return null;
        var mid = random.Pick(thread.CustomerMids);
        thread.CustomerMids.Remove(mid);
        return FromCustomer(thread, timestamp, "message", new JsonObject { ["mid"] = mid, ["is_deleted"] = true });
    }

    /// <summary>Something Instagram cannot pass on to apps (a poll, a voice effect): a mid and a flag.</summary>
    public Update Unsupported(long timestamp)
    {
        var thread = inbox.AnyThread();
        return FromCustomer(thread, timestamp, "message", new JsonObject { ["mid"] = NewCustomerMid(thread), ["is_unsupported"] = true });
    }

    string NewCustomerMid(ChatThread thread)
    {
        var mid = ids.Mid(thread.Business.Id, thread.ThreadId);
        Inbox.Remember(thread.CustomerMids, mid);
        thread.AwaitingReply = true;
        return mid;
    }

    JsonObject AdReferral(string? reference = null) => new()
    {
        ["ref"] = reference ?? random.Pick(Cast.Referrals).Ref,
        ["ad_id"] = $"1202100000000000{random.Next(10, 99)}",
        ["source"] = "ADS",
        ["type"] = "OPEN_THREAD",
        ["ads_context_data"] = new JsonObject
        {
            ["ad_title"] = random.Pick(Cast.AdTitles),
            ["photo_url"] = "https://scontent.cdninstagram.com/v/t45.1600-4/ad.jpg",
            ["post_id"] = ids.MediaId(),
        },
    };

    static JsonArray Attachment(string type, JsonObject payload) => [new JsonObject { ["type"] = type, ["payload"] = payload }];

    static Update FromCustomer(ChatThread thread, long timestamp, string key, JsonObject body) =>
        new(thread.Business.Id, "messaging", Item(thread.Person.Id, thread.Business.Id, timestamp, key, body));

    static JsonObject Item(string sender, string recipient, long timestamp, string key, JsonObject body) => new()
    {
        ["sender"] = new JsonObject { ["id"] = sender },
        ["recipient"] = new JsonObject { ["id"] = recipient },
        ["timestamp"] = timestamp,
        [key] = body,
    };
}
