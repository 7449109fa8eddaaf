// The ceiling: the least a correct receiver must do. Verify the signature over the raw bytes, parse
// the JSON, group-commit the raw body to SQLite (WAL, synchronous=FULL), then answer 200.
// The product is measured against this on the same machine, with the same load generator.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var secret = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("INSTAGRAM_APP_SECRET") ?? "bench-secret");
var dir = Environment.GetEnvironmentVariable("DATA_DIR") ?? Path.Combine(Path.GetTempPath(), "ceiling");
Directory.CreateDirectory(dir);
var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "ceiling.db")}");
connection.Open();
using (var setup = connection.CreateCommand())
{
    setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, received_at INTEGER, body BLOB)";
    setup.ExecuteNonQuery();
}
var queue = Channel.CreateUnbounded<(byte[] Body, TaskCompletionSource Done)>(new() { SingleReader = true });
_ = Task.Run(async () =>
{
    var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO deliveries (received_at, body) VALUES ($at, $body)";
    var at = insert.Parameters.Add("$at", SqliteType.Integer);
    var body = insert.Parameters.Add("$body", SqliteType.Blob);
    var group = new List<(byte[] Body, TaskCompletionSource Done)>();
    while (await queue.Reader.WaitToReadAsync())
    {
        group.Clear();
        while (group.Count < 1000 && queue.Reader.TryRead(out var item)) group.Add(item);
        using (var tx = connection.BeginTransaction())
        {
            insert.Transaction = tx;
            foreach (var item in group)
            {
                at.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                body.Value = item.Body;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        foreach (var item in group) item.Done.SetResult();
    }
});

app.MapPost("/api/webhooks/instagram", async (HttpRequest request) =>
{
    using var ms = new MemoryStream();
    await request.Body.CopyToAsync(ms);
    var bytes = ms.ToArray();
    var header = request.Headers["X-Hub-Signature-256"].ToString();
    var expected = Convert.FromHexString(header.AsSpan("sha256=".Length));
    if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(secret, bytes), expected)) return Results.StatusCode(401);
    using (JsonDocument.Parse(bytes)) { }
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    await queue.Writer.WriteAsync((bytes, done));
    await done.Task;
    return Results.Ok();
});
app.Run();
