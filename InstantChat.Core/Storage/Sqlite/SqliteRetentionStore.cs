using InstantChat.Core.Retention;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteRetentionStore(SqliteWriter writer, SqliteDeliveryLog log) : IRetentionStore
{
    public async Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        var (deleted, position, keep) = await PurgeStoreAsync(cutoff, batch, cancellationToken);
        // The raw bytes live in the log (log.db): processed and old enough, they go too.
        while (await log.PurgeAsync(position, cutoff, keep, batch, cancellationToken) == batch) { }
        return deleted;
    }

    Task<(int Deleted, long Position, List<long> Keep)> PurgeStoreAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
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
        // The old events left still need their deliveries' log rows (an id range on the primary key, no scan).
        var needed = ctx.Command("""
            SELECT DISTINCT d.log_seq FROM events e JOIN deliveries d ON d.delivery_id = e.delivery_id
            WHERE e.event_id < $before AND d.log_seq IS NOT NULL
            """);
        needed.Parameters.AddWithValue("$before", before);
        var keep = new List<long>();
        using (var reader = needed.ExecuteReader()) while (reader.Read()) keep.Add(reader.GetInt64(0));
        var position = (long)ctx.Command("SELECT COALESCE((SELECT position FROM processor_state WHERE id = 1), 0)").ExecuteScalar()!;
        return (deleted, position, keep);
    }, cancellationToken);
}
