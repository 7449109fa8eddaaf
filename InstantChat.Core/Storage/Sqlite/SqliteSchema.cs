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
            body            BLOB NOT NULL,
            same_as         TEXT,
            replays         INTEGER NOT NULL DEFAULT 0,
            log_seq         INTEGER
        );
        -- How far the processor has read the delivery log (log.db): written in the commit of what it made.
        CREATE TABLE IF NOT EXISTS processor_state (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);
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
            lease_until     INTEGER,
            lease_owner     TEXT
        );
        CREATE TABLE IF NOT EXISTS event_attempts (
            event_id        TEXT NOT NULL,
            attempt         INTEGER NOT NULL,
            started_at      INTEGER NOT NULL,
            finished_at     INTEGER NOT NULL,
            outcome         TEXT NOT NULL,
            error           TEXT,
            processing_ms   REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_attempts_event ON event_attempts(event_id, started_at);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_events_dedup ON events(dedup_key);
        CREATE INDEX IF NOT EXISTS ix_events_type ON events(event_type, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_status ON events(status, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_account ON events(account_id, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_sender ON events(sender_id, event_id);
        -- The queue: small partial indexes over the events still in flight.
        CREATE INDEX IF NOT EXISTS ix_events_due ON events(next_attempt_at) WHERE status = 'pending';
        -- Text search: a trigram index over text and username (any substring of 3+ characters),
        -- keyed by the event's rowid so matches walk newest first. The commit that adds events
        -- indexes them in one statement (SqliteEventColumns.IndexTextAfter); deletes go by trigger.
        CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(text, username, content='events', content_rowid='rowid', tokenize='trigram');
        CREATE TRIGGER IF NOT EXISTS events_fts_delete AFTER DELETE ON events
            WHEN old.text IS NOT NULL OR old.username IS NOT NULL
        BEGIN
            INSERT INTO events_fts(events_fts, rowid, text, username) VALUES ('delete', old.rowid, old.text, old.username);
        END;
        CREATE INDEX IF NOT EXISTS ix_events_lease ON events(lease_until) WHERE status = 'processing';

        -- Conversations: rows are upserts that commute, so arrival order does not matter.
        CREATE TABLE IF NOT EXISTS conversations (
            conversation_id      TEXT NOT NULL PRIMARY KEY,
            account_id           TEXT NOT NULL,
            participant_id       TEXT NOT NULL,
            participant_username TEXT,
            last_message_text    TEXT,
            last_message_at      INTEGER NOT NULL DEFAULT 0,
            last_text_at         INTEGER NOT NULL DEFAULT 0,
            last_text_mid        TEXT NOT NULL DEFAULT '',
            last_business_at     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS ix_conversations_activity ON conversations(last_message_at, conversation_id);
        CREATE INDEX IF NOT EXISTS ix_conversations_account ON conversations(account_id, last_message_at, conversation_id);
        CREATE TABLE IF NOT EXISTS thread_messages (
            account_id      TEXT NOT NULL,
            mid             TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            has_content     INTEGER NOT NULL DEFAULT 0,
            from_business   INTEGER NOT NULL DEFAULT 0,
            text            TEXT,
            attachments     TEXT,
            reply_to_mid    TEXT,
            is_unsupported  INTEGER NOT NULL DEFAULT 0,
            is_deleted      INTEGER NOT NULL DEFAULT 0,
            seen_marker     INTEGER NOT NULL DEFAULT 0,
            postback        TEXT,
            referral        TEXT,
            timestamp       INTEGER NOT NULL,
            PRIMARY KEY (account_id, mid)
        );
        CREATE INDEX IF NOT EXISTS ix_thread_messages ON thread_messages(conversation_id, timestamp);
        CREATE TABLE IF NOT EXISTS reactions (
            account_id TEXT NOT NULL,
            mid        TEXT NOT NULL,
            sender_id  TEXT NOT NULL,
            action     TEXT NOT NULL,
            reaction   TEXT,
            emoji      TEXT,
            timestamp  INTEGER NOT NULL,
            PRIMARY KEY (account_id, mid, sender_id)
        );
        CREATE TABLE IF NOT EXISTS comments (
            account_id         TEXT NOT NULL,
            kind               TEXT NOT NULL,
            media_id           TEXT NOT NULL,
            comment_id         TEXT NOT NULL,
            parent_id          TEXT,
            media_product_type TEXT,
            from_id            TEXT,
            username           TEXT,
            text               TEXT,
            timestamp          INTEGER NOT NULL,
            event_id           TEXT NOT NULL,
            PRIMARY KEY (account_id, kind, media_id, comment_id)
        );
        CREATE INDEX IF NOT EXISTS ix_comments_time ON comments(timestamp);
        CREATE INDEX IF NOT EXISTS ix_comments_media ON comments(account_id, media_id, timestamp);

        -- Stats are kept, not computed: counters updated in the same commit as what they count.
        CREATE TABLE IF NOT EXISTS stat_counters (
            kind  TEXT NOT NULL,
            key   TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_stat_top ON stat_counters(kind, value);
        -- One row the readiness probe rewrites: proof that a commit goes through.
        CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, checked_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS users (
            user_id       TEXT NOT NULL PRIMARY KEY,
            username      TEXT NOT NULL UNIQUE,
            role          TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            disabled      INTEGER NOT NULL,
            security_stamp TEXT NOT NULL DEFAULT '',
            created_at    INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS api_keys (
            key_id       TEXT NOT NULL PRIMARY KEY,
            name         TEXT NOT NULL,
            role         TEXT NOT NULL,
            hash         TEXT NOT NULL UNIQUE,
            prefix       TEXT NOT NULL,
            created_at   INTEGER NOT NULL,
            last_used_at INTEGER
        );
        CREATE TABLE IF NOT EXISTS subscriptions (
            subscription_id      TEXT NOT NULL PRIMARY KEY,
            instagram_account_id TEXT NOT NULL UNIQUE,
            user_id              TEXT,
            subscribed_fields    TEXT NOT NULL,
            url                  TEXT,
            verify_token         TEXT,
            secret               TEXT,
            enable_queue         INTEGER NOT NULL,
            batch_size           INTEGER NOT NULL,
            retry_attempts       INTEGER NOT NULL,
            created_at           INTEGER NOT NULL,
            updated_at           INTEGER NOT NULL
        );
        """;
}
