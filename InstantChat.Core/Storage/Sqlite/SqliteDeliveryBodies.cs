using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Deliveries' bytes: in the log (<c>log.db</c>) by the record's position, or in a record from before the log.</summary>
public sealed class SqliteDeliveryBodies(SqliteDatabase database, SqliteDeliveryLog log) : IDeliveryBodies
{
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken)
    {
        var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var inLog = new Dictionary<long, string>();
        await using (var connection = database.Open())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT delivery_id, body, log_seq FROM deliveries WHERE delivery_id IN ({Parameters(command, deliveryIds)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(2)) inLog[reader.GetInt64(2)] = reader.GetString(0);
                else bodies[reader.GetString(0)] = (byte[])reader[1];
            }
        }
        if (inLog.Count > 0)
            foreach (var (seq, body) in await log.BodiesAsync(inLog.Keys, cancellationToken))
                bodies[inLog[seq]] = body;
        return bodies;
    }

    /// <summary>One parameter per value, named $p0, $p1, …; returns the list for an IN clause.</summary>
    internal static string Parameters<T>(SqliteCommand command, IEnumerable<T> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = "$p" + names.Count;
            command.Parameters.AddWithValue(name, value);
            names.Add(name);
        }
        return string.Join(',', names);
    }
}
