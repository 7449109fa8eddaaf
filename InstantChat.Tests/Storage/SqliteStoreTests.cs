using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Storage;

public sealed class SqliteStoreTests : StoreContract
{
    readonly TempDir _dir = new();
    SqliteIngestStore _ingest = null!;
    SqliteEventStore _events = null!;
    SqliteDatabase _database = null!;

    protected override IIngestStore Ingest => _ingest;
    protected override IEventStore Events => _events;
    protected override IQueueStore Queue => new SqliteQueueStore(_database);
    protected override IConversationStore Conversations => new SqliteConversationStore(_database);
    protected override ICommentStore Comments => new SqliteCommentStore(_database);

    public override ValueTask InitializeAsync()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = _dir.Path }));
        database.Initialize();
        (_database, _ingest, _events) = (database, new SqliteIngestStore(database), new SqliteEventStore(database));
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _ingest.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void Initialize_Twice_IsIdempotent()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = _dir.Path }));
        database.Initialize();
        database.Initialize();
        Assert.True(File.Exists(database.Path));
    }
}
