using InstantChat.Core.Common;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace InstantChat.Tests.Storage;

public sealed class SqliteCheckpointsTests : IDisposable
{
    readonly SqliteStores _stores = new();
    readonly LogProgress _backlog = new();
    readonly SqliteWriter _writer;

    public SqliteCheckpointsTests() => _writer = new SqliteWriter(_stores.Database, NullLogger<SqliteWriter>.Instance, backlog: _backlog);

    [Fact]
    public async Task Write_NoBacklog_CheckpointsAtSqlitesUsualSize()
    {
        Assert.Equal(SqliteCheckpoints.UsualPages, await AutoCheckpointAsync());
    }

    [Fact]
    public async Task Write_WhileABurstBacklogWaits_DefersCheckpointsUpToTheCap()
    {
        _backlog.Appended((int)SqliteCheckpoints.BurstBacklog);

        Assert.Equal(SqliteCheckpoints.BurstPages, await AutoCheckpointAsync());
    }

    [Fact]
    public async Task Write_OnceProcessingCatchesUp_CheckpointsAsUsualAgain()
    {
        _backlog.Appended((int)SqliteCheckpoints.BurstBacklog);
        await AutoCheckpointAsync();
        _backlog.Processed((int)SqliteCheckpoints.BurstBacklog);

        Assert.Equal(SqliteCheckpoints.UsualPages, await AutoCheckpointAsync());
    }

    [Fact]
    public async Task Write_AfterABurst_TheWalFileIsCutBackOnceCheckpointed()
    {
        var limit = await _writer.ExecuteAsync(ctx => Pragma(ctx, "journal_size_limit"));

        Assert.Equal(64L * 1024 * 1024, limit);
    }

    Task<long> AutoCheckpointAsync() => _writer.ExecuteAsync(ctx => Pragma(ctx, "wal_autocheckpoint"));

    static long Pragma(SqliteWriteContext context, string name) => (long)context.Command($"PRAGMA {name}").ExecuteScalar()!;

    public void Dispose()
    {
        _writer.Dispose();
        _stores.Dispose();
    }
}
