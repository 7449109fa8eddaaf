using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.TestSupport;

/// <summary>The embedded store as the host wires it, on a real file in a temp folder.</summary>
public sealed class SqliteStores : IDisposable
{
    readonly TempDir _dir = new();

    public SqliteStores()
    {
        Database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = _dir.Path }));
        Database.Initialize();
        Writer = new SqliteWriter(Database, NullLogger<SqliteWriter>.Instance);
    }

    public string DataDir => _dir.Path;
    public SqliteDatabase Database { get; }
    public SqliteWriter Writer { get; }
    public SqliteIngestStore Ingest => new(Writer);
    public SqliteEventStore Events => new(Database);
    public SqliteQueueStore Queue => new(Database, Writer);
    public SqliteConversationStore Conversations => new(Database, Writer);
    public SqliteCommentStore Comments => new(Database, Writer);
    public SqliteSubscriptionStore Subscriptions => new(Database, Writer);
    public SqliteStatsStore Stats => new(Database);

    public void Dispose()
    {
        Writer.Dispose();
        _dir.Dispose();
    }
}
