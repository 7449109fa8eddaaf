using System.Text.Json;
using InstantChat.Core.Subscriptions;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteSubscriptionStore(SqliteDatabase database, SqliteWriter writer, SecretsAtRest secrets) : ISubscriptionStore
{
    const string Columns = """
        subscription_id, instagram_account_id, user_id, subscribed_fields, url, verify_token, secret,
        enable_queue, batch_size, retry_attempts, created_at, updated_at, platform
        """;

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM subscriptions ORDER BY created_at, subscription_id", null, cancellationToken);

    public async Task<WebhookSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM subscriptions WHERE subscription_id = $id", subscriptionId, cancellationToken)).SingleOrDefault();

    public Task<bool> CreateAsync(WebhookSubscription s, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        // The account is unique: a second subscription for it is a conflict, not an overwrite.
        var command = ctx.Command($"INSERT INTO subscriptions ({Columns}) VALUES ($id, $account, $user, $fields, $url, $token, $secret, $queue, $batch, $retries, $created, $updated, $platform) ON CONFLICT DO NOTHING");
        Bind(command, s);
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task<bool> UpdateAsync(WebhookSubscription s, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("""
            UPDATE subscriptions SET instagram_account_id = $account, user_id = $user, subscribed_fields = $fields, url = $url,
                verify_token = $token, secret = $secret, enable_queue = $queue, batch_size = $batch, retry_attempts = $retries,
                updated_at = $updated, platform = $platform
            WHERE subscription_id = $id
            """);
        Bind(command, s);
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task<bool> DeleteAsync(string subscriptionId, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("DELETE FROM subscriptions WHERE subscription_id = $id");
        command.Parameters.AddWithValue("$id", subscriptionId);
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task<int> SealPlaintextSecretsAsync(CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        // Read and rewritten in one write transaction: no change can come in between.
        var plain = new List<(string Id, string? Token, string? Secret)>();
        using (var r = ctx.Command("SELECT subscription_id, verify_token, secret FROM subscriptions").ExecuteReader())
            while (r.Read())
            {
                var (token, secret) = (r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
                if (!SecretsAtRest.IsSealed(token) || !SecretsAtRest.IsSealed(secret)) plain.Add((r.GetString(0), token, secret));
            }
        foreach (var (id, token, secret) in plain)
        {
            var command = ctx.Command("UPDATE subscriptions SET verify_token = $token, secret = $secret WHERE subscription_id = $id");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$token", (object?)secrets.Resealed(token) ?? DBNull.Value);
            command.Parameters.AddWithValue("$secret", (object?)secrets.Resealed(secret) ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
        return plain.Count;
    }, cancellationToken);

    void Bind(SqliteCommand command, WebhookSubscription s)
    {
        var p = command.Parameters;
        p.AddWithValue("$id", s.SubscriptionId);
        p.AddWithValue("$account", s.InstagramAccountId);
        p.AddWithValue("$user", (object?)s.UserId ?? DBNull.Value);
        p.AddWithValue("$fields", JsonSerializer.Serialize(s.SubscribedFields));
        p.AddWithValue("$url", (object?)s.WebhookConfig.Url ?? DBNull.Value);
        p.AddWithValue("$token", (object?)secrets.Seal(s.WebhookConfig.VerifyToken) ?? DBNull.Value);
        p.AddWithValue("$secret", (object?)secrets.Seal(s.WebhookConfig.Secret) ?? DBNull.Value);
        p.AddWithValue("$queue", s.ProcessingConfig.EnableQueue ? 1 : 0);
        p.AddWithValue("$batch", s.ProcessingConfig.BatchSize);
        p.AddWithValue("$retries", s.ProcessingConfig.RetryAttempts);
        p.AddWithValue("$created", s.CreatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$updated", s.UpdatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$platform", s.Platform);
    }

    async Task<List<WebhookSubscription>> QueryAsync(string sql, string? id, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null) command.Parameters.AddWithValue("$id", id);
        var list = new List<WebhookSubscription>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            list.Add(new WebhookSubscription(r.GetString(0), r.GetString(1), S(2),
                JsonSerializer.Deserialize<List<string>>(r.GetString(3)) ?? [],
                new WebhookConfig(S(4), secrets.Open(S(5), r.GetString(0)), secrets.Open(S(6), r.GetString(0))),
                new ProcessingConfig(r.GetInt64(7) == 1, r.GetInt32(8), r.GetInt32(9)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11))) { Platform = r.GetString(12) });
        }
        return list;
    }
}
