namespace InstantChat.Core.Storage.Sqlite;

static class SqliteSchema
{
    // Every list index ends in event_id: ids are ULIDs, so "newest first" is an index walk.
    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS deliveries (
            delivery_id     TEXT NOT NULL PRIMARY KEY,
            received_at     INTEGER NOT NULL,
            size            INTEGER NOT NULL,
            event_count     INTEGER NOT NULL,
            duplicate_count INTEGER NOT NULL,
            content_type    TEXT,
            body            BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS events (
            event_id        TEXT NOT NULL PRIMARY KEY,
            dedup_key       TEXT NOT NULL,
            event_type      TEXT NOT NULL,
            account_id      TEXT,
            sender_id       TEXT,
            recipient_id    TEXT,
            timestamp       INTEGER NOT NULL,
            received_at     INTEGER NOT NULL,
            delivery_id     TEXT NOT NULL,
            payload         TEXT,
            text            TEXT,
            media_url       TEXT,
            media_type      TEXT,
            username        TEXT,
            full_name       TEXT,
            profile_picture TEXT,
            status          TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            processed_at    INTEGER,
            processing_ms   REAL,
            next_attempt_at INTEGER,
            lease_until     INTEGER
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_events_dedup ON events(dedup_key);
        CREATE INDEX IF NOT EXISTS ix_events_type ON events(event_type, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_status ON events(status, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_account ON events(account_id, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_sender ON events(sender_id, event_id);
        """;
}
