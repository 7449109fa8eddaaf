using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using InstantChat.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace InstantChat.Tests.Security;

public sealed class ApiKeyTests : IDisposable
{
    readonly AppFactory _app = new(AppFactory.IngestOnly);
    public void Dispose() => _app.Dispose();

    async Task<(string Id, string Key)> CreateAsync(string role = "viewer")
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/keys", new { name = "ci scraper", role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.JsonAsync();
        return (json.GetProperty("keyId").GetString()!, json.GetProperty("key").GetString()!);
    }

    HttpClient With(string key)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task Create_Key_IsShownOnceAndStoredOnlyAsItsHash()
    {
        var (_, key) = await CreateAsync();
        Assert.StartsWith("ick_", key);
        Assert.True(key.Length >= 4 + 43, "32 random bytes");

        var listed = await _app.ApiClient().GetStringAsync("/api/keys");
        Assert.DoesNotContain(key, listed);
        Assert.Contains("ci scraper", listed);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(_app.DataDir, "instantchat.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT * FROM api_keys";
        var row = new StringBuilder();
        await using (var r = await command.ExecuteReaderAsync())
            while (await r.ReadAsync())
                for (var i = 0; i < r.FieldCount; i++) row.Append(r.GetValue(i)).Append('|');
        Assert.DoesNotContain(key, row.ToString());
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), row.ToString());
    }

    [Fact]
    public async Task ViewerKey_ReadsButCannotWrite()
    {
        var (_, key) = await CreateAsync("viewer");
        Assert.Equal(HttpStatusCode.OK, (await With(key).GetAsync("/api/webhooks/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await With(key).PostAsJsonAsync("/api/keys", new { name = "x", role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task AdminKey_CanManageKeys()
    {
        var (_, key) = await CreateAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await With(key).GetAsync("/api/keys")).StatusCode);
    }

    [Fact]
    public async Task Revoke_Key_StopsWorkingAtOnce()
    {
        var (id, key) = await CreateAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _app.ApiClient().DeleteAsync($"/api/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(key).GetAsync("/api/webhooks/events")).StatusCode);
    }

    [Fact]
    public async Task Use_Key_RecordsLastUse()
    {
        var (id, key) = await CreateAsync();
        await With(key).GetAsync("/api/webhooks/events");

        await Eventually.WaitAsync(() => _app.ApiClient().GetJsonAsync("/api/keys"),
            l => l.GetProperty("items").EnumerateArray().Any(k => k.GetProperty("keyId").GetString() == id && k.GetProperty("lastUsedAt").ValueKind != System.Text.Json.JsonValueKind.Null));
    }

    [Theory]
    [InlineData("{\"role\":\"viewer\"}", "name")]
    [InlineData("{\"name\":\"x\",\"role\":\"root\"}", "role")]
    public async Task Create_InvalidBody_Returns400NamingTheField(string json, string field)
    {
        var response = await _app.ApiClient().PostAsync("/api/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
