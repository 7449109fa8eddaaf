using InstantChat.Core.Retention;
using InstantChat.Core.Webhooks;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteRetentionStore(SqliteWriter writer) : IRetentionStore
{
    public Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        // Ids are time-ordered: "received before the cutoff" is an id range on the primary key.
        var before = EventIds.MinFor(cutoff);
        var events = ctx.Command("""
            DELETE FROM events WHERE event_id IN (
                SELECT event_id FROM events WHERE event_id < $before AND status IN ('completed','failed','skipped') LIMIT $batch)
            """);
        events.Parameters.AddWithValue("$before", before);
        events.Parameters.AddWithValue("$batch", batch);
        var deleted = events.ExecuteNonQuery();
        var attempts = ctx.Command("DELETE FROM event_attempts WHERE event_id < $before AND event_id NOT IN (SELECT event_id FROM events WHERE event_id < $before)");
        attempts.Parameters.AddWithValue("$before", before);
        attempts.ExecuteNonQuery();
        // A delivery is kept while an old event that is still in flight may need its bytes.
        var deliveries = ctx.Command("""
            DELETE FROM deliveries WHERE received_at < $cutoff
              AND delivery_id NOT IN (SELECT delivery_id FROM events WHERE event_id < $before)
            """);
        deliveries.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        deliveries.Parameters.AddWithValue("$before", before);
        deliveries.ExecuteNonQuery();
        return deleted;
    }, cancellationToken);
}
