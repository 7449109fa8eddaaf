using System.Net;
using System.Net.Http.Json;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Security;

/// <summary>User passwords: 12 characters or more and not only spaces, on create and on reset.</summary>
public sealed class UserPasswordTests : IDisposable
{
    readonly AppFactory _app = new(AppFactory.IngestOnly);
    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("short")]
    [InlineData("elevenchars")]
    [InlineData("          ")]
    [InlineData("                ")]
    [InlineData("\t\t\t\t\n\n\n\n    ")]
    public async Task CreateUser_WeakPassword_Returns400NamingPassword(string password)
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/users", new { username = "weak", password, role = "viewer" });

        await AssertNamesPasswordAsync(response);
        Assert.Equal(1, (await _app.ApiClient().GetJsonAsync("/api/users")).GetProperty("items").GetArrayLength()); // admin only
    }

    [Theory]
    [InlineData("elevenchars")]
    [InlineData("            ")]
    public async Task ResetPassword_WeakPassword_Returns400NamingPassword(string password)
    {
        var api = _app.ApiClient();
        var created = await api.PostAsJsonAsync("/api/users", new { username = "vic", password = "twelve-chars", role = "viewer" });
        var userId = (await created.JsonAsync()).GetProperty("userId").GetString();

        await AssertNamesPasswordAsync(await api.PutAsJsonAsync($"/api/users/{userId}", new { password }));
    }

    [Fact]
    public async Task CreateAndReset_TwelveCharacters_AreAccepted()
    {
        var api = _app.ApiClient();
        var created = await api.PostAsJsonAsync("/api/users", new { username = "val", password = "twelve-chars", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var userId = (await created.JsonAsync()).GetProperty("userId").GetString();

        var reset = await api.PutAsJsonAsync($"/api/users/{userId}", new { password = "  spaced out  " });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
    }

    static async Task AssertNamesPasswordAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains("12", errors.GetProperty("password")[0].GetString());
    }
}
