namespace InstantChat.Core.EventModel;

/// <summary>The event types: Instagram's eight fields, and the other platforms' few of their own; any other field keeps its own name.</summary>
public static class EventTypes
{
    public const string Messages = "messages";
    public const string Comments = "comments";
    public const string LiveComments = "live_comments";
    public const string MessageReactions = "message_reactions";
    public const string MessagingPostbacks = "messaging_postbacks";
    public const string MessagingReferral = "messaging_referral";
    public const string MessagingSeen = "messaging_seen";
    public const string Mentions = "mentions";

    /// <summary>Messenger: a delivery receipt (a watermark up to which the person's device has the messages).</summary>
    public const string MessageDeliveries = "message_deliveries";
    /// <summary>Messenger: a Page's posts and comments.</summary>
    public const string Feed = "feed";
    /// <summary>WhatsApp: one status (sent, delivered, read, failed) of a message the business sent.</summary>
    public const string Statuses = "statuses";

    /// <summary>A delivery that could not be read as a Meta envelope.</summary>
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> Known =
        [Messages, Comments, LiveComments, MessageReactions, MessagingPostbacks, MessagingReferral, MessagingSeen, Mentions];

    /// <summary>Every type the product understands, on any platform: what filters may name.</summary>
    public static readonly IReadOnlyList<string> Understood = [.. Known, MessageDeliveries, Feed, Statuses];

    /// <summary>Field names are Meta's snake_case identifiers; anything else is not a field name.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
