using System.Net;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Subscriptions;

/// <summary>Subscription secrets and verify tokens are sealed at rest, and still sign and verify.</summary>
public sealed class SecretsAtRestTests
{
    const string Account = "1001";

    // No app secret or verify token in the environment: only the subscription's can sign and verify.
    static readonly Dictionary<string, string?> SubscriptionSecretsOnly = new()
    {
        ["INSTAGRAM_APP_SECRET"] = "", ["META_APP_SECRET"] = "", ["META_VERIFY_TOKEN"] = "",
    };

    [Fact]
    public async Task Create_ViaTheApi_SecretAndTokenAppearNowhereInTheDatabaseFiles()
    {
        using var app = new AppFactory(SubscriptionSecretsOnly);
        var created = await app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", new
        {
            instagramAccountId = Account,
            webhookConfig = new { verifyToken = "vt-8d1f3b0c2a", secret = "app-secret-5e7a9c1d3f" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await AssertWorksAsync(app, "vt-8d1f3b0c2a", "app-secret-5e7a9c1d3f");
        var files = Directory.GetFiles(app.DataDir, "instantchat.db*");
        Assert.Contains(files, f => f.EndsWith("-wal"));
        foreach (var file in files)
        {
            var bytes = ReadShared(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf("vt-8d1f3b0c2a"u8));
            Assert.Equal(-1, bytes.AsSpan().IndexOf("app-secret-5e7a9c1d3f"u8));
        }
    }

    [Fact]
    public async Task Start_PlaintextSubscriptionFromBefore_StillVerifiesAndSignsAndIsSealed()
    {
        using var dir = new TempDir();
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = dir.Path }));
        database.Initialize();
        using (var connection = database.Open())
        using (var insert = connection.CreateCommand())
        {
            // As the store wrote it before secrets were sealed.
            insert.CommandText = """
                INSERT INTO subscriptions (subscription_id, instagram_account_id, user_id, subscribed_fields, url, verify_token, secret,
                    enable_queue, batch_size, retry_attempts, created_at, updated_at)
                VALUES ('s-old', '1001', NULL, '["messages"]', NULL, 'old-token', 'old-secret', 1, 100, 3, 0, 0)
                """;
            insert.ExecuteNonQuery();
        }

        using var app = new AppFactory(SubscriptionSecretsOnly, dir.Path);
        await AssertWorksAsync(app, "old-token", "old-secret");

        using var read = database.Open();
        using var select = read.CreateCommand();
        select.CommandText = "SELECT verify_token, secret FROM subscriptions WHERE subscription_id = 's-old'";
        using var r = select.ExecuteReader();
        Assert.True(r.Read());
        Assert.DoesNotContain("old-token", r.GetString(0));
        Assert.DoesNotContain("old-secret", r.GetString(1));
    }

    [Fact]
    public void Open_ValueSealedUnderAnotherKeyRing_IsNullNotTheSealedText()
    {
        using var one = new TempDir();
        using var other = new TempDir();
        var sealedValue = Sealing.For(new StorageOptions { DataDir = one.Path }).Seal("app-secret");

        // A lost or replaced key ring must not turn the sealed text into the HMAC key: the secret counts as unset.
        Assert.Null(Sealing.For(new StorageOptions { DataDir = other.Path }).Open(sealedValue, "s1"));
        Assert.Equal("app-secret", Sealing.For(new StorageOptions { DataDir = one.Path }).Open(sealedValue, "s1"));
    }

    static async Task AssertWorksAsync(AppFactory app, string verifyToken, string secret)
    {
        var client = app.CreateClient();
        Assert.Equal("7", await client.GetStringAsync($"/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token={verifyToken}&hub.challenge=7"));
        var delivery = await client.SendAsync(Signing.SignedPost(Deliveries.Envelope(Account, Deliveries.Message("m1", "x")), secret));
        Assert.Equal(HttpStatusCode.OK, delivery.StatusCode);
        await app.ProcessedAsync();
        Assert.Single(await app.ApiClient().EventsAsync($"accountId={Account}"));
    }

    static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
