namespace InstantChat.Core.Conversations;

/// <summary>One thread: an Instagram account and the person it talks with.</summary>
public sealed record Conversation(
    string ConversationId,
    string AccountId,
    string ParticipantId,
    string? ParticipantUsername,
    string? LastMessageText,
    DateTimeOffset? LastMessageAt,
    int UnreadCount,
    int MessageCount);

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
    DateTimeOffset? Timestamp);

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
}

public sealed record ReactionWrite(string AccountId, string Mid, string SenderId, string Action, string? Reaction, string? Emoji, DateTimeOffset Timestamp)
    : Processing.BusinessWrite;

public static class ConversationIds
{
    public static string For(string accountId, string participantId) => $"{accountId}-{participantId}";
}
