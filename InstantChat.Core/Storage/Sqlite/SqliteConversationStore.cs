using System.Text;
using System.Text.Json;
using InstantChat.Core.Conversations;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteConversationStore(SqliteDatabase database, SqliteWriter writer) : IConversationStore
{
    public Task ApplyMessageAsync(MessageWrite w, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx => { SqliteBusinessWrites.Apply(ctx, [w]); return 0; }, cancellationToken);

    public Task ApplyReactionAsync(ReactionWrite w, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx => ApplyReaction(ctx, w), cancellationToken);

    internal static void OpenConversation(SqliteWriteContext ctx, MessageWrite w) => OpenConversation(ctx, w.ConversationId, w.AccountId, w.ParticipantId, w.Platform);

    static void OpenConversation(SqliteWriteContext ctx, string conversationId, string accountId, string participantId, string platform)
    {
        var command = ctx.Command("""
            INSERT INTO conversations (conversation_id, account_id, participant_id, platform) VALUES ($conversation, $account, $participant, $platform)
            ON CONFLICT(conversation_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("$platform", platform);
        command.Parameters.AddWithValue("$conversation", conversationId);
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$participant", participantId);
        command.ExecuteNonQuery();
    }

    internal static void WriteMessage(SqliteWriteContext ctx, MessageWrite w)
    {
        // Content fields take the message's own values once it arrives; marks (deleted, seen,
        // unsupported) only ever switch on. Both orders of arrival end in the same row.
        var command = ctx.Command("""
            INSERT INTO thread_messages (account_id, mid, conversation_id, has_content, from_business, text, attachments,
                reply_to_mid, is_unsupported, is_deleted, seen_marker, postback, referral, timestamp, delivery_status, delivery_error)
            VALUES ($account, $mid, $conversation, $content, $business, $text, $attachments, $replyTo, $unsupported,
                $deleted, $seen, $postback, $referral, $timestamp, $status, $error)
            ON CONFLICT(account_id, mid) DO UPDATE SET
                from_business = CASE WHEN excluded.has_content = 1 THEN excluded.from_business ELSE max(from_business, excluded.from_business) END,
                text = CASE WHEN excluded.has_content = 1 THEN excluded.text ELSE text END,
                attachments = CASE WHEN excluded.has_content = 1 THEN excluded.attachments ELSE attachments END,
                reply_to_mid = coalesce(excluded.reply_to_mid, reply_to_mid),
                timestamp = CASE WHEN excluded.has_content = 1 THEN excluded.timestamp ELSE timestamp END,
                has_content = max(has_content, excluded.has_content),
                is_unsupported = max(is_unsupported, excluded.is_unsupported),
                is_deleted = max(is_deleted, excluded.is_deleted),
                seen_marker = max(seen_marker, excluded.seen_marker),
                postback = coalesce(excluded.postback, postback),
                referral = coalesce(excluded.referral, referral),
                delivery_status = max(delivery_status, excluded.delivery_status),
                delivery_error = coalesce(excluded.delivery_error, delivery_error)
            """);
        var p = command.Parameters;
        p.AddWithValue("$conversation", w.ConversationId);
        p.AddWithValue("$account", w.AccountId);
        p.AddWithValue("$mid", w.Mid);
        p.AddWithValue("$content", w.HasContent ? 1 : 0);
        p.AddWithValue("$business", w.FromBusiness ? 1 : 0);
        p.AddWithValue("$text", Db(w.Text));
        p.AddWithValue("$attachments", w.Attachments is { Count: > 0 } a ? JsonSerializer.Serialize(a) : DBNull.Value);
        p.AddWithValue("$replyTo", Db(w.ReplyToMid));
        p.AddWithValue("$unsupported", w.IsUnsupported ? 1 : 0);
        p.AddWithValue("$deleted", w.IsDeleted ? 1 : 0);
        p.AddWithValue("$seen", w.SeenMarker ? 1 : 0);
        p.AddWithValue("$postback", w.Postback is { } pb ? JsonSerializer.Serialize(pb) : DBNull.Value);
        p.AddWithValue("$referral", w.Referral is { } rf ? JsonSerializer.Serialize(rf) : DBNull.Value);
        p.AddWithValue("$timestamp", w.Timestamp.ToUnixTimeMilliseconds());
        p.AddWithValue("$status", w.DeliveryStatus);
        p.AddWithValue("$error", w.DeliveryError is { } de ? JsonSerializer.Serialize(de) : DBNull.Value);
        command.ExecuteNonQuery();
    }

    internal static int ApplyWatermark(SqliteWriteContext ctx, WatermarkWrite w)
    {
        OpenConversation(ctx, w.ConversationId, w.AccountId, w.ParticipantId, w.Platform);
        var command = ctx.Command("""
            UPDATE conversations SET seen_until = max(seen_until, $seen), delivered_until = max(delivered_until, $delivered)
            WHERE conversation_id = $conversation
            """);
        command.Parameters.AddWithValue("$conversation", w.ConversationId);
        command.Parameters.AddWithValue("$seen", w.SeenUntil);
        command.Parameters.AddWithValue("$delivered", w.DeliveredUntil);
        return command.ExecuteNonQuery();
    }

    internal static void Summarize(SqliteWriteContext ctx, ConversationSummary s)
    {
        // The newest text by (timestamp, mid) wins, so ties and arrival order cannot change the outcome.
        var command = ctx.Command("""
            UPDATE conversations SET
                last_message_text = CASE WHEN $text IS NOT NULL AND ($textAt > last_text_at OR ($textAt = last_text_at AND $mid >= last_text_mid))
                    THEN $text ELSE last_message_text END,
                last_text_mid = CASE WHEN $text IS NOT NULL AND ($textAt > last_text_at OR ($textAt = last_text_at AND $mid >= last_text_mid))
                    THEN $mid ELSE last_text_mid END,
                last_text_at = CASE WHEN $text IS NOT NULL THEN max(last_text_at, $textAt) ELSE last_text_at END,
                last_message_at = max(last_message_at, $messageAt),
                last_business_at = max(last_business_at, $businessAt)
            WHERE conversation_id = $conversation
            """);
        var p = command.Parameters;
        p.AddWithValue("$conversation", s.ConversationId);
        p.AddWithValue("$text", Db(s.Text));
        p.AddWithValue("$textAt", s.TextAt);
        p.AddWithValue("$mid", s.TextMid);
        p.AddWithValue("$messageAt", s.MessageAt);
        p.AddWithValue("$businessAt", s.BusinessAt);
        command.ExecuteNonQuery();
    }

    internal static int ApplyReaction(SqliteWriteContext ctx, ReactionWrite w)
    {
        // The newest action per (message, sender) wins; on a tie an unreact wins, so order never matters.
        var command = ctx.Command("""
            INSERT INTO reactions (account_id, mid, sender_id, action, reaction, emoji, timestamp)
            VALUES ($account, $mid, $sender, $action, $reaction, $emoji, $timestamp)
            ON CONFLICT(account_id, mid, sender_id) DO UPDATE SET
                action = excluded.action, reaction = excluded.reaction, emoji = excluded.emoji, timestamp = excluded.timestamp
            WHERE excluded.timestamp > reactions.timestamp
               OR (excluded.timestamp = reactions.timestamp AND excluded.action = 'unreact')
            """);
        command.Parameters.AddWithValue("$account", w.AccountId);
        command.Parameters.AddWithValue("$mid", w.Mid);
        command.Parameters.AddWithValue("$sender", w.SenderId);
        command.Parameters.AddWithValue("$action", w.Action);
        command.Parameters.AddWithValue("$reaction", Db(w.Reaction));
        command.Parameters.AddWithValue("$emoji", Db(w.Emoji));
        command.Parameters.AddWithValue("$timestamp", w.Timestamp.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    public async Task<ConversationPage> ListAsync(string? accountId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (accountId is not null) { where.Add("account_id = $account"); command.Parameters.AddWithValue("$account", accountId); }
        if (ConversationCursor.TryDecode(cursor, out var at, out var id))
        {
            where.Add("(last_message_at < $at OR (last_message_at = $at AND conversation_id < $id))");
            command.Parameters.AddWithValue("$at", at);
            command.Parameters.AddWithValue("$id", id);
        }
        command.CommandText = $"""
            SELECT {ConversationSql.Columns} FROM conversations c
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY last_message_at DESC, conversation_id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = await ConversationSql.ReadAsync(command, cancellationToken);
        if (items.Count <= limit) return new ConversationPage(items, null);
        items.RemoveAt(items.Count - 1);
        var last = items[^1];
        return new ConversationPage(items, ConversationCursor.Encode(last.LastMessageAt?.ToUnixTimeMilliseconds() ?? 0, last.ConversationId));
    }

    public async Task<Conversation?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConversationSql.Columns} FROM conversations c WHERE conversation_id = $id";
        command.Parameters.AddWithValue("$id", conversationId);
        return (await ConversationSql.ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public Task<IReadOnlyList<ThreadMessage>> MessagesAsync(string conversationId, CancellationToken cancellationToken) =>
        SqliteThreadReader.ReadAsync(database, conversationId, cancellationToken);

    static object Db(string? value) => (object?)value ?? DBNull.Value;
}
