using InstantChat.Core.Webhooks;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// The group-commit side of the embedded store. Only the ingest writer loop calls it, one commit at
/// a time, so it keeps one connection and its prepared statements open.
/// </summary>
public sealed class SqliteIngestStore(SqliteDatabase database) : IIngestStore, IDisposable
{
    SqliteConnection? _connection;
    SqliteCommand? _insertEvent;
    SqliteCommand? _insertDelivery;

    public Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Commit(batches));
        }
        catch (SqliteException ex)
        {
            // A broken connection (file gone, disk full, read-only) is reopened on the next commit.
            Reset();
            throw new StoreUnavailableException($"SQLite commit failed: {ex.SqliteErrorCode} {ex.Message}", ex);
        }
    }

    IReadOnlyList<CommitResult> Commit(IReadOnlyList<IngestBatch> batches)
    {
        EnsureOpen();
        using var tx = _connection!.BeginTransaction();
        _insertEvent!.Transaction = tx;
        _insertDelivery!.Transaction = tx;
        var results = new CommitResult[batches.Count];
        for (var b = 0; b < batches.Count; b++)
        {
            var inserted = new List<WebhookEvent>(batches[b].Events.Count);
            foreach (var e in batches[b].Events)
            {
                SqliteEventColumns.Bind(_insertEvent, e);
                if (_insertEvent.ExecuteNonQuery() == 1) inserted.Add(e);
            }
            var delivery = batches[b].Delivery;
            var p = _insertDelivery.Parameters;
            p["$id"].Value = delivery.DeliveryId;
            p["$received"].Value = delivery.ReceivedAt.ToUnixTimeMilliseconds();
            p["$size"].Value = delivery.Size;
            p["$events"].Value = batches[b].Events.Count;
            p["$duplicates"].Value = batches[b].Events.Count - inserted.Count;
            p["$contentType"].Value = (object?)delivery.ContentType ?? DBNull.Value;
            p["$body"].Value = delivery.Body.ToArray();
            _insertDelivery.ExecuteNonQuery();
            results[b] = new CommitResult(inserted, batches[b].Events.Count - inserted.Count);
        }
        tx.Commit();
        return results;
    }

    void EnsureOpen()
    {
        if (_connection is not null) return;
        _connection = database.Open();
        _insertEvent = _connection.CreateCommand();
        _insertEvent.CommandText = SqliteEventColumns.InsertSql;
        SqliteEventColumns.AddParameters(_insertEvent);
        _insertDelivery = _connection.CreateCommand();
        _insertDelivery.CommandText = """
            INSERT INTO deliveries (delivery_id, received_at, size, event_count, duplicate_count, content_type, body)
            VALUES ($id, $received, $size, $events, $duplicates, $contentType, $body)
            """;
        foreach (var name in new[] { "$id", "$received", "$size", "$events", "$duplicates", "$contentType", "$body" })
            _insertDelivery.Parameters.Add(new SqliteParameter(name, null));
    }

    void Reset()
    {
        _insertEvent?.Dispose();
        _insertDelivery?.Dispose();
        _connection?.Dispose();
        (_connection, _insertEvent, _insertDelivery) = (null, null, null);
    }

    public void Dispose() => Reset();
}
