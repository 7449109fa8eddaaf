using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
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
    public void Initialize_Twice_IsIdempotent()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = _stores.DataDir }));
        database.Initialize();
        database.Initialize();
        Assert.True(File.Exists(database.Path));
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
