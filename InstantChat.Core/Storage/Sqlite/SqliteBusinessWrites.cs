using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Processing;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Business writes in a write of the SQLite writer: alone (a retry) or inside a processor commit.</summary>
public sealed class SqliteBusinessWrites(SqliteWriter writer) : IBusinessStore
{
    public Task ApplyAsync(IReadOnlyList<BusinessWrite> writes, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx => { Apply(ctx, writes); return 0; }, cancellationToken);

    internal static void Apply(SqliteWriteContext ctx, IEnumerable<BusinessWrite> writes)
    {
        foreach (var write in writes)
        {
            _ = write switch
            {
                MessageWrite m => SqliteConversationStore.ApplyMessage(ctx, m),
                ReactionWrite r => SqliteConversationStore.ApplyReaction(ctx, r),
                CommentRecord c => SqliteCommentStore.Record(ctx, c),
                _ => throw new InvalidOperationException($"no SQLite rule for {write.GetType().Name}"),
            };
        }
    }
}
