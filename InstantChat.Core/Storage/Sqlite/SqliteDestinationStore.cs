using InstantChat.Core.Outbound;
using InstantChat.Core.Subscriptions;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteDestinationStore(SqliteDatabase database, SqliteWriter writer, SecretsAtRest secrets) : IDestinationStore
{
    public async Task<IReadOnlyList<Destination>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT doc FROM destinations ORDER BY destination_id", null, cancellationToken);

    public async Task<Destination?> FindAsync(string destinationId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT doc FROM destinations WHERE destination_id = $id", destinationId, cancellationToken)).SingleOrDefault();

    public Task CreateAsync(Destination destination, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("INSERT INTO destinations (destination_id, doc) VALUES ($id, $doc)");
        command.Parameters.AddWithValue("$id", destination.DestinationId);
        command.Parameters.AddWithValue("$doc", DestinationDocument.Write(destination, secrets));
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public Task<bool> UpdateAsync(Destination destination, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE destinations SET doc = $doc WHERE destination_id = $id");
        command.Parameters.AddWithValue("$id", destination.DestinationId);
        command.Parameters.AddWithValue("$doc", DestinationDocument.Write(destination, secrets));
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task<bool> DeleteAsync(string destinationId, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        foreach (var sql in (string[])[
            "DELETE FROM outbound_attempts WHERE message_id IN (SELECT message_id FROM outbound_messages WHERE destination_id = $id)",
            "DELETE FROM outbound_messages WHERE destination_id = $id",
        ])
        {
            var cascade = ctx.Command(sql);
            cascade.Parameters.AddWithValue("$id", destinationId);
            cascade.ExecuteNonQuery();
        }
        var command = ctx.Command("DELETE FROM destinations WHERE destination_id = $id");
        command.Parameters.AddWithValue("$id", destinationId);
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    async Task<List<Destination>> QueryAsync(string sql, string? id, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null) command.Parameters.AddWithValue("$id", id);
        var list = new List<Destination>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(DestinationDocument.Read(r.GetString(0), secrets));
        return list;
    }
}
