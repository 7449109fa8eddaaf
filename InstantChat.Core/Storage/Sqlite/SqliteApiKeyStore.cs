using InstantChat.Core.Security;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteApiKeyStore(SqliteDatabase database, SqliteWriter writer) : IApiKeyStore
{
    public Task CreateAsync(ApiKey key, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("""
            INSERT INTO api_keys (key_id, name, role, hash, prefix, created_at, last_used_at)
            VALUES ($id, $name, $role, $hash, $prefix, $created, NULL)
            """);
        command.Parameters.AddWithValue("$id", key.KeyId);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$role", key.Role);
        command.Parameters.AddWithValue("$hash", key.Hash);
        command.Parameters.AddWithValue("$prefix", key.Prefix);
        command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, name, role, hash, prefix, created_at, last_used_at FROM api_keys ORDER BY created_at, key_id";
        var list = new List<ApiKey>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new ApiKey(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))));
        return list;
    }

    public Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("DELETE FROM api_keys WHERE key_id = $id");
        command.Parameters.AddWithValue("$id", keyId);
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task TouchAsync(string keyId, DateTimeOffset usedAt, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE api_keys SET last_used_at = $at WHERE key_id = $id");
        command.Parameters.AddWithValue("$id", keyId);
        command.Parameters.AddWithValue("$at", usedAt.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }, cancellationToken);
}
