using InstantChat.Core.EventModel;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Core.Security;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Storage;

public sealed class SqliteStoreTests : StoreContract
{
    SqliteStores _stores = null!;

    protected override IStoreSet Stores => _stores;

    public override ValueTask InitializeAsync()
    {
        _stores = new SqliteStores();
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _stores.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task List_TextSearch_MatchesAnySubstringLiterally()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m1", "100% sure_thing")));
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m2", "100 percent surexthing")));
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m3", "say \"hello\" world")));

        Assert.Equal(["m1"], (await AllAsync(new(Text: "0% sure_"))).Select(e => e.DeduplicationKey.Split(':')[^1]));
        Assert.Equal(["m3"], (await AllAsync(new(Text: "LO\" WOR"))).Select(e => e.DeduplicationKey.Split(':')[^1]));
    }

    [Fact]
    public async Task List_TextSearchWhoseFilterExcludesTheNewestMatches_StopsAtTheScanLimitAndGoesOnFromThere()
    {
        await CommitAsync(Deliveries.Envelope("acct-b", Deliveries.Message("old", "order from b")), T0);
        var many = SqliteEventStore.TextScanLimit * 3 / 2; // the second call reaches the oldest match
        for (var d = 0; d < many / 100; d++)
            await CommitAsync(Deliveries.Envelope("acct-a", Enumerable.Range(0, 100).Select(i => Deliveries.Message($"a{d}.{i}", "order from a")).ToArray()), T0.AddSeconds(1 + d));

        var first = await _stores.Events.ListAsync(new EventQuery(Text: "order", AccountId: "acct-b"), CancellationToken.None);
        var second = await _stores.Events.ListAsync(new EventQuery(Text: "order", AccountId: "acct-b", Cursor: first.NextCursor), CancellationToken.None);

        Assert.Empty(first.Items);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(["order from b"], second.Items.Select(e => e.Content.Text));
        Assert.Null(second.NextCursor);
        // What a page shows a person: the calls are followed until there is something to show.
        var shown = await _stores.Events.ListFullPageAsync(new EventQuery(Text: "order", AccountId: "acct-b"), CancellationToken.None);
        Assert.Equal(["order from b"], shown.Items.Select(e => e.Content.Text));
    }

    [Fact]
    public async Task Initialize_StoreFromBeforeTheSearchIndex_IndexesWhatItHolds()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m1", "legacy text")));
        await _stores.Writer.ExecuteAsync(ctx => ctx.Command("DROP TABLE events_fts").ExecuteNonQuery());

        _stores.Database.Initialize();

        Assert.Single(await AllAsync(new(Text: "legacy")));
    }

    [Fact]
    public async Task Initialize_StoreFromBeforePlatforms_ItsEventsAndThreadsAreInstagrams()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m-old", "before platforms")));
        // The file as an earlier version left it: none of the columns platforms brought.
        await _stores.Writer.ExecuteAsync(ctx => ctx.Command("""
            DROP INDEX ix_events_platform;
            ALTER TABLE events DROP COLUMN platform; ALTER TABLE events DROP COLUMN content_extra;
            ALTER TABLE subscriptions DROP COLUMN platform; ALTER TABLE conversations DROP COLUMN platform;
            ALTER TABLE conversations DROP COLUMN seen_until; ALTER TABLE conversations DROP COLUMN delivered_until;
            ALTER TABLE thread_messages DROP COLUMN delivery_status; ALTER TABLE thread_messages DROP COLUMN delivery_error;
            """).ExecuteNonQuery());

        _stores.Database.Initialize();

        var e = Assert.Single(await AllAsync(new(Platform: Platforms.Instagram)));
        Assert.Equal(("before platforms", Platforms.Instagram), (e.Content.Text, e.Platform));
        Assert.Empty(await AllAsync(new(Platform: Platforms.WhatsApp)));
        await CommitAsync(Parsing.Fixture.Load(Parsing.Fixture.WhatsApp, "messages_text")); // and the new kinds go in beside
        Assert.Single(await AllAsync(new(Platform: Platforms.WhatsApp)));
    }

    [Fact]
    public void Initialize_Twice_IsIdempotent()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = _stores.DataDir }));
        database.Initialize();
        database.Initialize();
        Assert.True(File.Exists(database.Path));
    }

    [Fact]
    public async Task Initialize_FileWithTheOldLockoutColumns_MigratesUsersToSecurityStamps()
    {
        using var dir = new TempDir();
        var old = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = dir.Path }));
        Directory.CreateDirectory(dir.Path);
        using (var connection = old.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                CREATE TABLE users (user_id TEXT NOT NULL PRIMARY KEY, username TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
                    password_hash TEXT NOT NULL, disabled INTEGER NOT NULL, failed_logins INTEGER NOT NULL, locked_until INTEGER,
                    created_at INTEGER NOT NULL);
                INSERT INTO users VALUES ('u1', 'admin', 'admin', 'h', 0, 3, 1900000000000, 1800000000000);
                """;
            command.ExecuteNonQuery();
        }

        old.Initialize();
        var users = new SqliteUserStore(old, new SqliteWriter(old, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteWriter>.Instance));
        var migrated = await users.FindAsync("u1", default);
        old.Initialize();

        Assert.NotNull(migrated);
        Assert.Equal(("admin", "admin", false), (migrated.Username, migrated.Role, migrated.Disabled));
        Assert.Matches("^[0-9a-f]{32}$", migrated.SecurityStamp);
        Assert.Equal(migrated, await users.FindAsync("u1", default)); // a second start changes nothing
        using var check = old.Open();
        using var columns = check.CreateCommand();
        columns.CommandText = "SELECT group_concat(name) FROM pragma_table_info('users')";
        Assert.DoesNotContain("failed_logins", (string)columns.ExecuteScalar()!);
        Assert.True(await users.CreateAsync(migrated with { UserId = "u2", Username = "erin" }, default));
    }

    [Fact]
    public async Task Writer_OneWriteThrows_TheOthersInTheSameCommitSucceed()
    {
        var good = Task.WhenAll(Enumerable.Range(0, 20).Select(i => CommitAsync(Deliveries.Envelope(Deliveries.Message($"w{i}", "ok")))));
        var bad = _stores.Writer.ExecuteAsync<int>(ctx =>
        {
            ctx.Command("INSERT INTO deliveries (delivery_id, received_at, size, event_count, duplicate_count, body) VALUES ('x', 0, 0, 0, 0, x'00')").ExecuteNonQuery();
            throw new InvalidOperationException("this write fails");
        });

        await good;
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal(20, (await AllAsync()).Count);
        Assert.Null(await _stores.Events.FindDeliveryAsync("x", default)); // the failed write's insert was rolled back
    }

    [Fact]
    public async Task Ping_WriterCannotCommit_ReturnsFalse()
    {
        // Reads keep working on a full disk; readiness must still say that deliveries cannot be stored.
        var events = _stores.Events;
        Assert.True(await events.PingAsync(default));
        _stores.Writer.Dispose();

        Assert.False(await events.PingAsync(default));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Initialize_NewDatabase_ItAndItsWalAndShmAreOwnerOnly()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m1", "x"))); // the WAL and its index exist once written

        foreach (var file in new[] { _stores.Database.Path, _stores.Database.Path + "-wal", _stores.Database.Path + "-shm" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Initialize_FilesFromBefore_AreMadeOwnerOnly()
    {
        using var dir = new TempDir();
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = dir.Path }));
        var everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        foreach (var file in new[] { database.Path, database.Path + "-wal", database.Path + "-shm" })
        {
            File.WriteAllBytes(file, []);
            File.SetUnixFileMode(file, everyone);
        }

        database.Initialize();

        foreach (var file in new[] { database.Path, database.Path + "-wal", database.Path + "-shm" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }
}
