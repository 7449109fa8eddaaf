using InstantChat.Core.Comments;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteCommentStore(SqliteDatabase database, SqliteWriter writer) : ICommentStore
{
    public Task RecordAsync(CommentRecord c, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx => Record(ctx, c), cancellationToken);

    internal static int Record(SqliteWriteContext ctx, CommentRecord c)
    {
        var command = ctx.Command("""
            INSERT INTO comments (account_id, kind, media_id, comment_id, parent_id, media_product_type, from_id, username, text, timestamp, event_id)
            VALUES ($account, $kind, $media, $comment, $parent, $productType, $from, $username, $text, $timestamp, $event)
            ON CONFLICT DO NOTHING
            """);
        var p = command.Parameters;
        p.AddWithValue("$account", c.AccountId);
        p.AddWithValue("$kind", c.Type);
        p.AddWithValue("$media", c.MediaId);
        p.AddWithValue("$comment", c.CommentId);
        p.AddWithValue("$parent", (object?)c.ParentId ?? DBNull.Value);
        p.AddWithValue("$productType", (object?)c.MediaProductType ?? DBNull.Value);
        p.AddWithValue("$from", (object?)c.FromId ?? DBNull.Value);
        p.AddWithValue("$username", (object?)c.Username ?? DBNull.Value);
        p.AddWithValue("$text", (object?)c.Text ?? DBNull.Value);
        p.AddWithValue("$timestamp", c.Timestamp.ToUnixTimeMilliseconds());
        p.AddWithValue("$event", c.EventId);
        return command.ExecuteNonQuery();
    }

    public async Task<IReadOnlyList<CommentRecord>> ListAsync(string? accountId, string? mediaId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (accountId is not null) { where.Add("account_id = $account"); command.Parameters.AddWithValue("$account", accountId); }
        if (mediaId is not null) { where.Add("media_id = $media"); command.Parameters.AddWithValue("$media", mediaId); }
        command.CommandText = $"""
            SELECT kind, account_id, media_id, comment_id, parent_id, media_product_type, from_id, username, text, timestamp, event_id
            FROM comments {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY timestamp DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<CommentRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new CommentRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : r.GetString(8), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)), r.GetString(10)));
        return list;
    }
}
