using System.Net;
using System.Net.Http.Json;
using InstantChat.Core.Security;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Security;

/// <summary>
/// Sign-in as an attacker tries it: which names exist (answers, hashes), guessing from many
/// addresses, and locking the real admin out. The clock is fake, so delays are exact, not raced.
/// </summary>
public sealed class SignInAttackTests : IDisposable
{
    const string AdminPassword = "correct horse battery staple";
    const string ViewerPassword = "a long viewer password";
    const string Invalid = "/login?error=invalid&returnUrl=%2F";
    const string Wait = "/login?error=wait&returnUrl=%2F";
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly CountingHasher _hasher = new();
    readonly AppFactory _app;

    public SignInAttackTests() => _app = AppFactory.OnClock(_clock, AppFactory.SignInHost(AdminPassword), s => s.AddSingleton<IPasswordHasher>(_hasher));

    public void Dispose() => _app.Dispose();

    /// <summary>One attempt from its own client and address, as a distributed attacker makes them.</summary>
    Task<HttpResponseMessage> AttemptAsync(string username, string password, int address) =>
        _app.Browser().SignInAsync(username, password, from: $"10.0.{address / 250}.{address % 250 + 1}");

    async Task CreateUserAsync(string name, string password, string role = "viewer") =>
        Assert.Equal(HttpStatusCode.Created, (await _app.ApiClient().PostAsJsonAsync("/api/users", new { username = name, password, role })).StatusCode);

    [Fact]
    public async Task SignIn_UnknownDisabledAndWrongPassword_SameAnswerAndOneHashEach()
    {
        await CreateUserAsync("dora", ViewerPassword);
        var dora = (await _app.ApiClient().GetJsonAsync("/api/users")).GetProperty("items").EnumerateArray().Single(u => u.GetProperty("username").GetString() == "dora");
        await _app.ApiClient().PutAsJsonAsync($"/api/users/{dora.GetProperty("userId").GetString()}", new { disabled = true });
        await AttemptAsync("warm-up", "the dummy hash is made once", 0);

        var answers = new List<(string Location, int Hashes)>();
        foreach (var (name, password, address) in new[] { ("nobody", "some password guess", 1), ("dora", ViewerPassword, 2), ("admin", "wrong password guess", 3) })
        {
            _hasher.Calls = 0;
            var response = await AttemptAsync(name, password, address);
            answers.Add((response.Location(), _hasher.Calls));
        }

        Assert.All(answers, a => Assert.Equal((Invalid, 1), a));
        _hasher.Calls = 0;
        Assert.Equal("/", (await AttemptAsync("admin", AdminPassword, 4)).Location());
        Assert.Equal(1, _hasher.Calls);
    }

    [Fact]
    public async Task SignIn_FailuresForOneNameFromManyAddresses_ThrottleEveryAddressAlikeForRealAndUnknownNames()
    {
        var answers = new Dictionary<string, List<string>> { ["admin"] = [], ["nobody"] = [] };
        var address = 0;
        for (var i = 0; i < SignInThrottle.FreeAttempts + 3; i++)
            foreach (var (name, list) in answers) list.Add((await AttemptAsync(name, $"guess number {i}", address++)).Location());

        string[] expected = [.. Enumerable.Repeat(Invalid, SignInThrottle.FreeAttempts), Wait, Wait, Wait];
        Assert.Equal(expected, answers["admin"]);
        Assert.Equal(expected, answers["nobody"]);
        // A new address is throttled too, even with the right password: the limit is the username's.
        var fresh = await AttemptAsync("admin", AdminPassword, address);
        Assert.Equal(Wait, fresh.Location());
        Assert.NotNull(fresh.Headers.RetryAfter);
    }

    [Fact]
    public async Task SignIn_Throttled_EachFurtherAttemptWaitsTwiceAsLong()
    {
        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) await AttemptAsync("admin", "guess", i);
        var waits = new List<double>();
        for (var round = 0; round < 4; round++)
        {
            var refused = await AttemptAsync("admin", "guess", 100 + round);
            Assert.Equal(Wait, refused.Location());
            var wait = refused.Headers.RetryAfter!.Delta!.Value;
            waits.Add(wait.TotalSeconds);
            _clock.Advance(wait - TimeSpan.FromMilliseconds(1));
            Assert.Equal(Wait, (await AttemptAsync("admin", "guess", 200 + round)).Location());
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(Invalid, (await AttemptAsync("admin", "guess", 300 + round)).Location());
        }

        Assert.Equal([1, 2, 4, 8], waits);
    }

    [Fact]
    public async Task SignIn_RealAdminWithItsDeviceCookie_SignsInDuringAnAttack()
    {
        var realBrowser = _app.Browser();
        Assert.Equal("/", (await realBrowser.SignInAsync("admin", AdminPassword, from: "192.0.2.10")).Location());
        Assert.Equal(HttpStatusCode.Redirect, (await realBrowser.PostAsync("/account/logout", null)).StatusCode);

        for (var i = 0; i < 50; i++) await AttemptAsync("admin", $"guess number {i}", i);
        Assert.Equal(Wait, (await AttemptAsync("admin", AdminPassword, 99)).Location());

        Assert.Equal("/", (await realBrowser.SignInAsync("admin", AdminPassword, from: "192.0.2.10")).Location());
        Assert.Equal(HttpStatusCode.OK, (await realBrowser.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task SignIn_DeviceCookieOfAnotherUser_IsNoBypass()
    {
        await CreateUserAsync("vera", ViewerPassword);
        var browser = _app.Browser();
        Assert.Equal("/", (await browser.SignInAsync("vera", ViewerPassword)).Location());

        var answers = new List<string>();
        for (var i = 0; i < SignInThrottle.FreeAttempts + 1; i++) answers.Add((await browser.SignInAsync("admin", "guess", from: $"198.51.100.{i + 1}")).Location());

        Assert.Equal(Wait, answers[^1]);
    }

    sealed class CountingHasher : IPasswordHasher
    {
        readonly Pbkdf2PasswordHasher _inner = new();
        public int Calls;
        public string Hash(string password) { Interlocked.Increment(ref Calls); return _inner.Hash(password); }
        public bool Verify(string password, string stored) { Interlocked.Increment(ref Calls); return _inner.Verify(password, stored); }
    }
}
