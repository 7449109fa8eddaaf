using System.Net;
using InstantChat.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace InstantChat.Tests.Web;

/// <summary>Meta's retries of a large delivery must not store its bytes again each time (issue #14, item 4).</summary>
public sealed class DeliveryReplayTests : IDisposable
{
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    /// <summary>Bytes of bodies kept, in the log and in the delivery records.</summary>
    long StoredBodyBytes() => Sum("instantchat.db", "deliveries") + Sum("log.db", "log");

    long Sum(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDir, file)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(SUM(length(body)), 0) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Post_SameLargeDeliveryTwentyTimes_KeepsItsBytesOnce()
    {
        var text = new string('x', 8_000);
        var body = Deliveries.Envelope(Enumerable.Range(0, 1_000).Select(i => Deliveries.Message($"m.{i}", text)).ToArray());
        Assert.True(body.Length > 8_000_000);
        var client = _app.CreateClient();

        for (var i = 0; i < 21; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signing.SignedPost(body))).StatusCode);
        await _app.ProcessedAsync();

        // Replays' bytes leave the log right after the commit that recognised them.
        await Eventually.WaitAsync(() => Task.FromResult(StoredBodyBytes()), bytes => bytes == body.Length);
    }
}
