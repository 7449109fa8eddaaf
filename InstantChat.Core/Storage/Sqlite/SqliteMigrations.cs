namespace InstantChat.Core.Storage.Sqlite;

/// <summary>What a file from an earlier version needs at start, beyond <see cref="SqliteSchema.Ddl"/> (which leaves existing tables as they are).</summary>
static class SqliteMigrations
{
    /// <summary>Columns added after their table was first created: a store from an earlier version gets them at start.</summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("deliveries", "same_as", "TEXT"),
        ("deliveries", "replays", "INTEGER NOT NULL DEFAULT 0"),
        ("deliveries", "log_seq", "INTEGER"),
        ("users", "security_stamp", "TEXT NOT NULL DEFAULT ''"),
        ("event_attempts", "retried_by", "TEXT"),
        ("event_attempts", "retried_at", "INTEGER"),
        // Messenger and WhatsApp (issue #18): what was stored before is Instagram's.
        ("subscriptions", "platform", "TEXT NOT NULL DEFAULT 'instagram'"),
        ("events", "platform", "TEXT NOT NULL DEFAULT 'instagram'"),
        ("events", "content_extra", "TEXT"),
        ("conversations", "platform", "TEXT NOT NULL DEFAULT 'instagram'"),
        ("conversations", "seen_until", "INTEGER NOT NULL DEFAULT 0"),
        ("conversations", "delivered_until", "INTEGER NOT NULL DEFAULT 0"),
        ("thread_messages", "delivery_status", "INTEGER NOT NULL DEFAULT 0"),
        ("thread_messages", "delivery_error", "TEXT"),
    ];

    /// <summary>Columns no longer used: the hard account lock, replaced by in-memory sign-in throttling.</summary>
    public static readonly (string Table, string Column)[] DroppedColumns = [("users", "failed_logins"), ("users", "locked_until")];

    /// <summary>
    /// Values for added columns, after the migration: every user gets a random security stamp, so
    /// the cookies issued before stamps existed (they carry none) end.
    /// </summary>
    public const string Backfill = "UPDATE users SET security_stamp = lower(hex(randomblob(16))) WHERE security_stamp = '';";

    /// <summary>Indexes over added columns: created once the migration has added them.</summary>
    public const string AfterMigration = "CREATE INDEX IF NOT EXISTS ix_events_platform ON events(platform, event_id);";

    /// <summary>Objects no longer used: the per-row text-index trigger (the commit indexes its rows in one statement).</summary>
    public const string Dropped = "DROP TRIGGER IF EXISTS events_fts_insert;";
}
