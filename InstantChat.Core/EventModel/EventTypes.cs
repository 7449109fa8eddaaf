namespace InstantChat.Core.EventModel;

/// <summary>The eight Instagram fields the product understands; any other field keeps its own name.</summary>
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

    /// <summary>A delivery that could not be read as an Instagram envelope.</summary>
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> Known =
        [Messages, Comments, LiveComments, MessageReactions, MessagingPostbacks, MessagingReferral, MessagingSeen, Mentions];

    /// <summary>Field names are Meta's snake_case identifiers; anything else is not a field name.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
