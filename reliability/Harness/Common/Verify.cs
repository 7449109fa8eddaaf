using Microsoft.Data.Sqlite;

namespace Reliability.Common;

/// <summary>What the store holds against what was sent: the heart of the crash and outage checks.</summary>
sealed record StoreCheck(
    int Events, int DistinctKeys, int DuplicateKeys, int Missing, int Unexpected, int MissingCoreMids,
    int Pending, int Processing, int Completed, int Skipped, int Failed, string FailedReasons, IReadOnlyList<string> Samples)
{
    public bool ExactlyOnce => DuplicateKeys == 0 && Missing == 0 && Unexpected == 0 && MissingCoreMids == 0;
    public bool Finished => Pending == 0 && Processing == 0;

    public override string ToString() =>
        $"events={Events} distinctKeys={DistinctKeys} duplicateKeys={DuplicateKeys} missing={Missing} unexpected={Unexpected} " +
        $"missingCoreMids={MissingCoreMids} completed={Completed} skipped={Skipped} failed={Failed} pending={Pending} processing={Processing}";

    /// <summary>
    /// <paramref name="required"/> must each be stored once; <paramref name="allowed"/> may be
    /// (sent but never acknowledged); anything else stored is unexpected.
    /// </summary>
    public static StoreCheck Compare(IReadOnlyList<EventRow> rows, IReadOnlySet<string> required, IReadOnlySet<string> allowed, IEnumerable<string> coreMids)
    {
        var byKey = rows.GroupBy(r => r.DeduplicationKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var samples = new List<string>();
        var duplicates = byKey.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
        var missing = required.Where(k => !byKey.ContainsKey(k)).ToList();
        var unexpected = byKey.Keys.Where(k => !required.Contains(k) && !allowed.Contains(k)).ToList();
        var missingMids = coreMids.Where(m => !byKey.ContainsKey(Ledger.CoreKey(m))).ToList();
        samples.AddRange(duplicates.Take(5).Select(k => $"duplicate: {k}"));
        samples.AddRange(missing.Take(5).Select(k => $"missing: {k}"));
        samples.AddRange(unexpected.Take(5).Select(k => $"unexpected: {k}"));
        samples.AddRange(missingMids.Take(5).Select(k => $"missing core mid: {k}"));
        int Status(string s) => rows.Count(r => r.Status == s);
        var failedReasons = string.Join("; ", rows.Where(r => r.Status == "failed")
            .GroupBy(r => Shorten(r.LastError)).OrderByDescending(g => g.Count()).Take(5).Select(g => $"{g.Count()}× {g.Key}"));
        return new StoreCheck(rows.Count, byKey.Count, duplicates.Count, missing.Count, unexpected.Count, missingMids.Count,
            Status("pending"), Status("processing"), Status("completed"), Status("skipped"), Status("failed"),
            failedReasons.Length == 0 ? "none" : failedReasons, samples);
    }

    static string Shorten(string? s) => s is null ? "(no error)" : s.Length <= 120 ? s : s[..120] + "…";
}

/// <summary>Direct read-only checks of the SQLite file: nothing half-stored, file intact.</summary>
static class SqliteFile
{
    public sealed record Result(string Integrity, long Deliveries, long Events, long OrphanEvents, long PartialDeliveries, long DuplicateKeys)
    {
        public bool Ok => Integrity == "ok" && OrphanEvents == 0 && PartialDeliveries == 0 && DuplicateKeys == 0;
        public override string ToString() =>
            $"integrity={Integrity} deliveries={Deliveries} events={Events} orphanEvents={OrphanEvents} partialDeliveries={PartialDeliveries} duplicateKeys={DuplicateKeys}";
    }

    public static Result Check(string dataDir)
    {
        var path = Path.Combine(dataDir, "instantchat.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        object? Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 600;
            return command.ExecuteScalar();
        }
        long Long(string sql) => Convert.ToInt64(Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);
        return new Result(
            Integrity: Convert.ToString(Scalar("PRAGMA quick_check"), System.Globalization.CultureInfo.InvariantCulture) ?? "?",
            Deliveries: Long("SELECT COUNT(*) FROM deliveries"),
            Events: Long("SELECT COUNT(*) FROM events"),
            // Events whose delivery (the raw bytes) is not stored: half a delivery.
            OrphanEvents: Long("SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.delivery_id = e.delivery_id)"),
            // Deliveries that say they added n events but hold another number: the other half.
            PartialDeliveries: Long("""
                SELECT COUNT(*) FROM deliveries d
                LEFT JOIN (SELECT delivery_id, COUNT(*) AS n FROM events GROUP BY delivery_id) e ON e.delivery_id = d.delivery_id
                WHERE d.event_count - d.duplicate_count <> COALESCE(e.n, 0)
                """),
            DuplicateKeys: Long("SELECT COUNT(*) - COUNT(DISTINCT dedup_key) FROM events"));
    }
}
