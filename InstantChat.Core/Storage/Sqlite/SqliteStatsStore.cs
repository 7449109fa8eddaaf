using InstantChat.Core.Stats;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteStatsStore(SqliteDatabase database) : IStatsStore
{
    /// <summary>Applies counter changes inside the caller's write (one upsert per counter).</summary>
    internal static void Apply(SqliteWriteContext ctx, StatDeltas deltas)
    {
        foreach (var ((kind, key), delta) in deltas.Deltas)
        {
            var command = ctx.Command("""
                INSERT INTO stat_counters (kind, key, value) VALUES ($kind, $key, $delta)
                ON CONFLICT(kind, key) DO UPDATE SET value = value + excluded.value
                """);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$delta", delta);
            command.ExecuteNonQuery();
        }
    }

    public Task<IReadOnlyList<StatCounter>> ReadAsync(IReadOnlyCollection<string> kinds, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT kind, key, value FROM stat_counters WHERE kind IN ({string.Join(',', kinds.Select((_, i) => $"$k{i}"))})",
            c => { var i = 0; foreach (var k in kinds) c.Parameters.AddWithValue($"$k{i++}", k); }, cancellationToken);

    public Task<IReadOnlyList<StatCounter>> RangeAsync(string kind, string fromKey, string toKey, CancellationToken cancellationToken) =>
        QueryAsync("SELECT kind, key, value FROM stat_counters WHERE kind = $kind AND key BETWEEN $from AND $to", c =>
        {
            c.Parameters.AddWithValue("$kind", kind);
            c.Parameters.AddWithValue("$from", fromKey);
            c.Parameters.AddWithValue("$to", toKey);
        }, cancellationToken);

    public Task<IReadOnlyList<StatCounter>> TopAsync(string kind, int count, CancellationToken cancellationToken) =>
        QueryAsync("SELECT kind, key, value FROM stat_counters WHERE kind = $kind ORDER BY value DESC LIMIT $n", c =>
        {
            c.Parameters.AddWithValue("$kind", kind);
            c.Parameters.AddWithValue("$n", count);
        }, cancellationToken);

    async Task<IReadOnlyList<StatCounter>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var list = new List<StatCounter>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(new StatCounter(r.GetString(0), r.GetString(1), r.GetDouble(2)));
        return list;
    }
}
