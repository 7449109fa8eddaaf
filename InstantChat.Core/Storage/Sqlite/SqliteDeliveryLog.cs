using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// The delivery log in a file of its own (<c>log.db</c> beside the store): one row per delivery,
/// nothing else in its commits, and its own write lock, so a processor commit on the main file never
/// delays an acknowledgement. Appends come from one caller at a time (the ingest writer's group
/// commit) on one connection.
/// </summary>
public sealed class SqliteDeliveryLog : IDeliveryLog, IDisposable
{
    // No auto-vacuum: its pointer-map pages cost every append about 12 % of the acknowledgement rate
    // (bench/RESULTS.md). Pages freed by retention and replays go to SQLite's free list and the next
    // appends reuse them, so the file stays at its high-water size instead of growing; VACUUM
    // (host stopped) shrinks it. A file created before keeps incremental vacuum, which the
    // incremental_vacuum calls below still serve.
    const string Ddl = """
        CREATE TABLE IF NOT EXISTS log (
            seq          INTEGER PRIMARY KEY,
            delivery_id  TEXT NOT NULL,
            received_at  INTEGER NOT NULL,
            content_type TEXT,
            vouched      TEXT,
            body         BLOB NOT NULL
        );
        """;

    readonly Lock _appendGate = new();
    SqliteConnection? _appender;
    SqliteCommand? _insert;
    long _lastSeq = -1;

    public SqliteDeliveryLog(IOptions<StorageOptions> options) => Database = new SqliteFile(Path.Combine(Path.GetFullPath(options.Value.DataDir), "log.db"), cacheKiB: 2 * 1024);

    public SqliteFile Database { get; }

    public void Initialize() => Database.Initialize(Ddl);

    /// <summary>The newest sequence number appended (0 when the log is empty).</summary>
    public long LastSeq
    {
        get
        {
            if (Interlocked.Read(ref _lastSeq) < 0)
            {
                using var connection = Database.Open();
                using var max = connection.CreateCommand();
                max.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM log";
                Interlocked.CompareExchange(ref _lastSeq, (long)max.ExecuteScalar()!, -1);
            }
            return Interlocked.Read(ref _lastSeq);
        }
    }

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<LogAppend> deliveries, CancellationToken cancellationToken)
    {
        lock (_appendGate)
        {
            try
            {
                var last = LastSeq; // this host is the log's only writer: numbers follow on from the last one
                _appender ??= Database.Open();
                using var tx = _appender.BeginTransaction(deferred: false);
                if (_insert is null)
                {
                    _insert = _appender.CreateCommand();
                    _insert.CommandText = "INSERT INTO log (seq, delivery_id, received_at, content_type, vouched, body) VALUES ($seq, $id, $at, $type, $vouched, $body)";
                    foreach (var name in new[] { "$id", "$at", "$type", "$vouched", "$body", "$seq" }) _insert.Parameters.Add(new SqliteParameter(name, null));
                }
                _insert.Transaction = tx;
                var seqs = new long[deliveries.Count];
                for (var i = 0; i < deliveries.Count; i++)
                {
                    var d = deliveries[i];
                    seqs[i] = last + 1 + i;
                    _insert.Parameters[5].Value = seqs[i];
                    _insert.Parameters[0].Value = d.DeliveryId;
                    _insert.Parameters[1].Value = d.ReceivedAt.ToUnixTimeMilliseconds();
                    _insert.Parameters[2].Value = (object?)d.ContentType ?? DBNull.Value;
                    _insert.Parameters[3].Value = d.Vouched is null ? DBNull.Value : string.Join('\n', d.Vouched);
                    _insert.Parameters[4].Value = WholeArray(d.Body);
                    _insert.ExecuteNonQuery();
                }
                tx.Commit();
                if (seqs.Length > 0) Interlocked.Exchange(ref _lastSeq, seqs[^1]);
                return Task.FromResult<IReadOnlyList<long>>(seqs);
            }
            catch (SqliteException ex)
            {
                // The connection may be broken (disk full, file gone): the next append opens a new one.
                _insert?.Dispose();
                _appender?.Dispose();
                (_insert, _appender) = (null, null);
                Interlocked.Exchange(ref _lastSeq, -1); // read again from the file
                throw new StoreUnavailableException($"the delivery log could not commit: {ex.Message}", ex);
            }
        }
    }

    /// <summary>The bytes as an array, without a copy when the memory is a whole array already (the endpoint's is).</summary>
    static byte[] WholeArray(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment is { Offset: 0, Array: { } array } && array.Length == segment.Count
            ? array
            : memory.ToArray();

    public async Task<IReadOnlyList<LogEntry>> ReadAfterAsync(long seq, int maxDeliveries, long maxBytes, CancellationToken cancellationToken)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, delivery_id, received_at, content_type, vouched, body FROM log WHERE seq > $after ORDER BY seq LIMIT $n";
        command.Parameters.AddWithValue("$after", seq);
        command.Parameters.AddWithValue("$n", maxDeliveries);
        var entries = new List<LogEntry>();
        long bytes = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (bytes < maxBytes && await reader.ReadAsync(cancellationToken))
        {
            var body = (byte[])reader[5];
            bytes += body.Length;
            entries.Add(new LogEntry(reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), body,
                reader.IsDBNull(4) ? null : reader.GetString(4).Split('\n').ToHashSet(StringComparer.Ordinal)));
        }
        return entries;
    }

    /// <summary>When the delivery after <paramref name="seq"/> was received (the oldest unprocessed one), if there is one.</summary>
    public async Task<DateTimeOffset?> ReceivedAfterAsync(long seq, CancellationToken cancellationToken)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT received_at FROM log WHERE seq > $after ORDER BY seq LIMIT 1";
        command.Parameters.AddWithValue("$after", seq);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Empties the bytes of these deliveries (their records point to the first delivery that brought them).</summary>
    public async Task DropBodiesAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE log SET body = x'' WHERE seq IN ({string.Join(',', seqs)}); PRAGMA incremental_vacuum;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes up to <paramref name="batch"/> processed deliveries received before <paramref name="cutoff"/>,
    /// except <paramref name="keep"/> (an unfinished event still needs their bytes) and the newest row:
    /// numbering follows on from the highest seq after a restart, so deleting it would hand out
    /// numbers the processor has already passed.
    /// </summary>
    public async Task<int> PurgeAsync(long processedThrough, DateTimeOffset cutoff, IReadOnlyCollection<long> keep, int batch, CancellationToken cancellationToken)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            DELETE FROM log WHERE seq IN (
              SELECT seq FROM log WHERE seq <= $through AND seq < (SELECT MAX(seq) FROM log) AND received_at < $cutoff
                {(keep.Count > 0 ? $"AND seq NOT IN ({string.Join(',', keep)})" : "")}
              ORDER BY seq LIMIT $batch)
            """;
        command.Parameters.AddWithValue("$through", processedThrough);
        command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$batch", batch);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        if (deleted > 0)
        {
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "PRAGMA incremental_vacuum";
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
        return deleted;
    }

    /// <summary>The bytes of the deliveries at these positions that are still in the log.</summary>
    public async Task<IReadOnlyDictionary<long, byte[]>> BodiesAsync(IEnumerable<long> seqs, CancellationToken cancellationToken)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, body FROM log WHERE seq IN ({SqliteDeliveryBodies.Parameters(command, seqs)})";
        var bodies = new Dictionary<long, byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) bodies[reader.GetInt64(0)] = (byte[])reader[1];
        return bodies;
    }

    public async Task<byte[]?> BodyAsync(long seq, CancellationToken cancellationToken) =>
        (await BodiesAsync([seq], cancellationToken)).GetValueOrDefault(seq);

    public void Dispose()
    {
        lock (_appendGate)
        {
            _insert?.Dispose();
            _appender?.Dispose();
        }
    }
}
