namespace InstantChat.Core.Conversations;

/// <summary>
/// Threads built from events. Every write is an idempotent upsert that commutes with the others,
/// so Meta's out-of-order deliveries (a reaction or a delete before its message) end in one state.
/// </summary>
public interface IConversationStore
{
    Task ApplyMessageAsync(MessageWrite write, CancellationToken cancellationToken);
    Task ApplyReactionAsync(ReactionWrite write, CancellationToken cancellationToken);
    Task<ConversationPage> ListAsync(string? accountId, int limit, string? cursor, CancellationToken cancellationToken);
    Task<Conversation?> FindAsync(string conversationId, CancellationToken cancellationToken);
    /// <summary>Messages in <c>timestamp</c> order (not arrival order).</summary>
    Task<IReadOnlyList<ThreadMessage>> MessagesAsync(string conversationId, CancellationToken cancellationToken);
}
