using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Processing;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Business writes in a write of the SQLite writer: alone (a retry) or inside a processor commit.</summary>
public sealed class SqliteBusinessWrites(SqliteWriter writer) : IBusinessStore
{
    public Task ApplyAsync(IReadOnlyList<BusinessWrite> writes, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx => { Apply(ctx, writes); return 0; }, cancellationToken);

    /// <summary>
    /// A batch's writes with the effect of applying them one by one, in fewer statements: one row
    /// write per message (folded, <see cref="MessageWrites"/>) and one summary update per
    /// conversation, not three statements per message (bench/RESULTS.md: a third of a commit's time).
    /// </summary>
    internal static void Apply(SqliteWriteContext ctx, IEnumerable<BusinessWrite> writes)
    {
        var messages = new List<MessageWrite>();
        foreach (var write in writes)
        {
            _ = write switch
            {
                MessageWrite m => Add(messages, m),
                ReactionWrite r => SqliteConversationStore.ApplyReaction(ctx, r),
                WatermarkWrite w => SqliteConversationStore.ApplyWatermark(ctx, w),
                CommentRecord c => SqliteCommentStore.Record(ctx, c),
                _ => throw new InvalidOperationException($"no SQLite rule for {write.GetType().Name}"),
            };
        }
        if (messages.Count == 0) return;
        foreach (var first in messages.DistinctBy(m => m.ConversationId)) SqliteConversationStore.OpenConversation(ctx, first);
        foreach (var row in MessageWrites.MergeByRow(messages)) SqliteConversationStore.WriteMessage(ctx, row);
        foreach (var summary in MessageWrites.Summaries(messages)) SqliteConversationStore.Summarize(ctx, summary);
    }

    static int Add(List<MessageWrite> messages, MessageWrite m)
    {
        messages.Add(m);
        return 0;
    }
}
