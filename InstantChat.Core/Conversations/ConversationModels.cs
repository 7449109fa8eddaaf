namespace InstantChat.Core.Conversations;

/// <summary>
/// One thread: an account and the person it talks with (an Instagram account or a Facebook Page and
/// the person's scoped id; a WhatsApp phone number id and the person's wa_id).
/// </summary>
public sealed record Conversation(
    string ConversationId,
    string AccountId,
    string ParticipantId,
    string? ParticipantUsername,
    string? LastMessageText,
    DateTimeOffset? LastMessageAt,
    int UnreadCount,
    int MessageCount)
{
    /// <summary>The product the thread is on (<see cref="EventModel.Platforms"/>).</summary>
    public string Platform { get; init; } = EventModel.Platforms.Instagram;
}

public sealed record ConversationPage(IReadOnlyList<Conversation> Items, string? NextCursor);

public sealed record ThreadMessage(
    string Mid,
    bool FromBusiness,
    string? Text,
    IReadOnlyList<Attachment> Attachments,
    string? ReplyToMid,
    bool IsDeleted,
    bool IsUnsupported,
    IReadOnlyList<MessageReaction> Reactions,
    bool Seen,
    Postback? Postback,
    Referral? Referral,
    DateTimeOffset? Timestamp)
{
    /// <summary>For the business's own messages: sent, delivered, read or failed, as far as Meta told.</summary>
    public string? DeliveryStatus { get; init; }
    /// <summary>Why Meta could not deliver it (WhatsApp's error code, title and message).</summary>
    public DeliveryError? DeliveryError { get; init; }
}

public sealed record DeliveryError(string? Code, string? Title, string? Message);

/// <summary>A business message's progress, as a rank that only grows: a status never moves a message back.</summary>
public static class DeliveryStatuses
{
    static readonly string[] Names = ["", "sent", "delivered", "read", "failed"];

    public static int Rank(string? status) => status is null ? 0 : Math.Max(0, Array.IndexOf(Names, status));

    public static string? Name(int rank) => rank is > 0 and < 5 ? Names[rank] : null;

    /// <summary>A status Meta sent for the message, else what Messenger's watermarks say of the business's messages.</summary>
    public static string? InThread(int status, bool fromBusiness, long at, long seenUntil, long deliveredUntil) =>
        status > 0 ? Name(status)
        : !fromBusiness ? null
        : at <= seenUntil ? "read"
        : at <= deliveredUntil ? "delivered"
        : null;
}

public sealed record Attachment(string Type, string? Url);
public sealed record MessageReaction(string SenderId, string? Reaction, string? Emoji);
public sealed record Postback(string? Title, string? Payload);
public sealed record Referral(string? Ref, string? Source, string? Type);

/// <summary>What a handler writes about one message row; null fields leave what is stored alone.</summary>
public sealed record MessageWrite(
    string AccountId,
    string Mid,
    string ConversationId,
    string ParticipantId,
    DateTimeOffset Timestamp) : Processing.BusinessWrite
{
    /// <summary>The thread's product: set when the write opens it.</summary>
    public string Platform { get; init; } = EventModel.Platforms.Instagram;
    /// <summary>The message itself arrived (text, attachments…), as opposed to a mark on it.</summary>
    public bool HasContent { get; init; }
    public bool FromBusiness { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public string? ReplyToMid { get; init; }
    public bool IsUnsupported { get; init; }
    public bool IsDeleted { get; init; }
    /// <summary>A read receipt names this message: it and everything before it were seen.</summary>
    public bool SeenMarker { get; init; }
    public Postback? Postback { get; init; }
    public Referral? Referral { get; init; }
    /// <summary>A status of the business's message (<see cref="DeliveryStatuses"/>); 0: none.</summary>
    public int DeliveryStatus { get; init; }
    public DeliveryError? DeliveryError { get; init; }
}

/// <summary>
/// Messenger's receipts: the person has (delivered) or has read (seen) every message up to a time.
/// Only ever moves forward.
/// </summary>
public sealed record WatermarkWrite(string AccountId, string ConversationId, string ParticipantId, long SeenUntil, long DeliveredUntil)
    : Processing.BusinessWrite
{
    public string Platform { get; init; } = EventModel.Platforms.Messenger;
}

public sealed record ReactionWrite(string AccountId, string Mid, string SenderId, string Action, string? Reaction, string? Emoji, DateTimeOffset Timestamp)
    : Processing.BusinessWrite;

public static class ConversationIds
{
    public static string For(string accountId, string participantId) => $"{accountId}-{participantId}";

    /// <summary>The thread an inbound message event belongs to (a WhatsApp thread is its phone number's, not its WABA's).</summary>
    public static string? Of(EventModel.WebhookEvent e) =>
        (e.Platform == EventModel.Platforms.WhatsApp ? e.RecipientId : e.AccountId) is { } account && e.SenderId is { } sender ? For(account, sender) : null;
}
