namespace InstantChat.Tests.TestSupport;

/// <summary>Subscription rows as the file holds them, behind the store's back.</summary>
public sealed partial class SqliteStores
{
    public async Task<(string? VerifyToken, string? Secret)> RawSubscriptionSecretsAsync(string subscriptionId)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT verify_token, secret FROM subscriptions WHERE subscription_id = $id";
        command.Parameters.AddWithValue("$id", subscriptionId);
        await using var r = await command.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1));
    }

    public Task SetRawSubscriptionSecretsAsync(string subscriptionId, string? verifyToken, string? secret) => Writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE subscriptions SET verify_token = $token, secret = $secret WHERE subscription_id = $id");
        command.Parameters.AddWithValue("$id", subscriptionId);
        command.Parameters.AddWithValue("$token", (object?)verifyToken ?? DBNull.Value);
        command.Parameters.AddWithValue("$secret", (object?)secret ?? DBNull.Value);
        return command.ExecuteNonQuery();
    });

    public async Task<string> RawDestinationAsync(string destinationId)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM destinations WHERE destination_id = $id";
        command.Parameters.AddWithValue("$id", destinationId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
