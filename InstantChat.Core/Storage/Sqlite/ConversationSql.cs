using InstantChat.Core.Conversations;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Conversation rows with their derived counts (computed per thread through its index, never kept as counters to drift).</summary>
static class ConversationSql
{
    public const string Columns = """
        c.conversation_id, c.account_id, c.participant_id, c.participant_username, c.last_message_text, c.last_message_at,
        (SELECT count(*) FROM thread_messages m WHERE m.conversation_id = c.conversation_id AND m.has_content = 1
            AND m.from_business = 0 AND m.timestamp > c.last_business_at) AS unread,
        (SELECT count(*) FROM thread_messages m WHERE m.conversation_id = c.conversation_id AND m.has_content = 1) AS messages,
        c.platform
        """;

    public static async Task<List<Conversation>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<Conversation>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new Conversation(
                r.GetString(0), r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetInt64(5) == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
                r.GetInt32(6), r.GetInt32(7)) { Platform = r.GetString(8) });
        return list;
    }
}

static class SqliteThreadReader
{
    public static async Task<IReadOnlyList<ThreadMessage>> ReadAsync(SqliteDatabase database, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var reactions = await ReactionsAsync(connection, conversationId, cancellationToken);
        await using var command = connection.CreateCommand();
        // Seen: everything up to the newest message a read receipt named (once that message is here),
        // or up to Messenger's read watermark. A business message the thread knows only by its statuses
        // (WhatsApp's API-sent messages) is shown with them.
        command.CommandText = """
            SELECT m.mid, m.from_business, m.text, m.attachments, m.reply_to_mid, m.is_deleted, m.is_unsupported, m.postback, m.referral, m.timestamp,
                   m.has_content, m.timestamp <= max(coalesce((SELECT max(timestamp) FROM thread_messages s
                       WHERE s.conversation_id = $id AND s.seen_marker = 1 AND s.has_content = 1), -1), coalesce(c.seen_until, 0)) AS seen,
                   m.delivery_status, m.delivery_error, coalesce(c.seen_until, 0), coalesce(c.delivered_until, 0)
            FROM thread_messages m LEFT JOIN conversations c ON c.conversation_id = m.conversation_id
            WHERE m.conversation_id = $id AND (m.has_content = 1 OR m.is_deleted = 1 OR m.delivery_status > 0)
            ORDER BY m.timestamp, m.mid
            """;
        command.Parameters.AddWithValue("$id", conversationId);
        var list = new List<ThreadMessage>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var mid = r.GetString(0);
            var hasContent = r.GetInt64(10) == 1;
            var status = (int)r.GetInt64(12);
            var (fromBusiness, at) = (r.GetInt64(1) == 1, r.GetInt64(9));
            list.Add(new ThreadMessage(
                mid,
                r.GetInt64(1) == 1,
                r.IsDBNull(2) ? null : r.GetString(2),
                Json<List<Attachment>>(r, 3) ?? [],
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetInt64(5) == 1,
                r.GetInt64(6) == 1,
                reactions.GetValueOrDefault(mid) ?? [],
                r.GetInt64(11) == 1 || status == 3,
                Json<Postback>(r, 7),
                Json<Referral>(r, 8),
                // A delete of a message that never arrived has no time of its own.
                hasContent || status > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null)
            {
                DeliveryStatus = DeliveryStatuses.InThread(status, fromBusiness, at, r.GetInt64(14), r.GetInt64(15)),
                DeliveryError = Json<DeliveryError>(r, 13),
            });
        }
        return list;
    }

    static async Task<Dictionary<string, List<MessageReaction>>> ReactionsAsync(SqliteConnection connection, string conversationId, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.mid, r.sender_id, r.reaction, r.emoji FROM reactions r
            JOIN thread_messages m ON m.account_id = r.account_id AND m.mid = r.mid
            WHERE m.conversation_id = $id AND r.action = 'react'
            ORDER BY r.timestamp
            """;
        command.Parameters.AddWithValue("$id", conversationId);
        var map = new Dictionary<string, List<MessageReaction>>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (!map.TryGetValue(r.GetString(0), out var list)) map[r.GetString(0)] = list = [];
            list.Add(new MessageReaction(r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        }
        return map;
    }

    static T? Json<T>(SqliteDataReader r, int i) where T : class =>
        r.IsDBNull(i) ? null : System.Text.Json.JsonSerializer.Deserialize<T>(r.GetString(i));
}
