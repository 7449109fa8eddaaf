using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// Sign-in as an attacker probes it (issue #14, item 6), against the real process behind a
/// "proxy" (ASPNETCORE_FORWARDEDHEADERS_ENABLED, X-Forwarded-For), so each attempt can come from
/// its own address. (1) Which names exist: the median time of a wrong password for real users and
/// of unknown names must be within 10 % (one hash each) with the same answer. (2) Locking the
/// admin out: 50 wrong passwords for `admin` from 50 addresses, then a new address is throttled
/// too, while the real admin's browser (its device cookie from an earlier sign-in) signs in at once.
/// </summary>
static partial class SignIn
{
    const string AdminPassword = "reliability-admin-password";

    public static async Task<int> RunAsync(Args a)
    {
        var samples = a.Int("samples", 30);
        var attackAttempts = a.Int("attack-attempts", 50);
        var work = a.WorkDir("signin");
        var env = Product.Environment(Path.Combine(work, "data"));
        env["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), env);
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var api = new Api(product.BaseAddress);
        Log.Line($"signin: product on {product.BaseAddress}, work dir {work}");
        var failures = new List<string>();
        var address = 0;
        string NextAddress() => $"10.{77 + address / 62_500}.{address / 250 % 250}.{address++ % 250 + 1}";

        // (1) Timing: each real user gets one wrong password (so no username is throttled), alternating with unknown names.
        var creations = await Task.WhenAll(Enumerable.Range(0, samples).Select(async i =>
        {
            using var created = await api.Client.PostAsJsonAsync("/api/users", new { username = $"timing{i}", password = $"timing user {i} long password", role = "viewer" });
            return created.StatusCode == HttpStatusCode.Created ? null : $"creating user timing{i} → {(int)created.StatusCode}";
        }));
        if (creations.FirstOrDefault(c => c is not null) is { } notCreated) return Log.Verdict("signin", false, notCreated);
        await AttemptAsync(new Browser(product), "warm-up-unknown", "warm up the dummy hash", NextAddress());
        await AttemptAsync(new Browser(product), "timing0", "warm up the real path", NextAddress());
        var real = new List<double>();
        var unknown = new List<double>();
        var answers = new HashSet<string>();
        for (var i = 1; i < samples; i++)
        {
            // Which goes first alternates, so whatever the first of a pair leaves behind (GC, caches) falls on both kinds alike.
            Task<Attempt> Real() => AttemptAsync(new Browser(product), $"timing{i}", "wrong password here", NextAddress());
            Task<Attempt> Unknown() => AttemptAsync(new Browser(product), $"nobody-{Guid.NewGuid():N}", "wrong password here", NextAddress());
            Attempt r, u;
            if (i % 2 == 0) { r = await Real(); u = await Unknown(); }
            else { u = await Unknown(); r = await Real(); }
            real.Add(r.Ms);
            unknown.Add(u.Ms);
            answers.Add(r.Location);
            answers.Add(u.Location);
        }
        var (realMedian, unknownMedian) = (Median(real), Median(unknown));
        var gap = Math.Abs(realMedian - unknownMedian) / Math.Max(realMedian, unknownMedian);
        Log.Line(string.Create(CultureInfo.InvariantCulture,
            $"timing: wrong password for a real user median {realMedian:0.0} ms, unknown user median {unknownMedian:0.0} ms ({samples - 1} each), gap {gap:P1}; answers: {string.Join(" | ", answers)}"));
        if (gap > 0.10) failures.Add(string.Create(CultureInfo.InvariantCulture, $"medians differ by {gap:P1} (> 10 %)"));
        if (answers.Count != 1) failures.Add($"unknown and wrong-password answers differ: {string.Join(" | ", answers)}");

        // (2) The lock-out attack. The real admin signed in from its browser before (device cookie), then signed out.
        var adminBrowser = new Browser(product);
        var first = await AttemptAsync(adminBrowser, "admin", AdminPassword, "192.0.2.10");
        if (first.Location != "/") return Log.Verdict("signin", false, $"the admin's first sign-in answered {first.Status} {first.Location}");
        await adminBrowser.LogoutAsync("192.0.2.10");
        var attack = new List<(string Location, double Ms)>();
        var attackClock = Stopwatch.StartNew();
        for (var i = 0; i < attackAttempts; i++)
        {
            var r = await AttemptAsync(new Browser(product), "admin", $"guess number {i}", NextAddress());
            attack.Add((r.Location, r.Ms));
        }
        attackClock.Stop();
        var throttled = attack.Count(x => x.Location.Contains("error=wait", StringComparison.Ordinal));
        var rejected = attack.Count(x => x.Location.Contains("error=invalid", StringComparison.Ordinal));
        var newAddress = await AttemptAsync(new Browser(product), "admin", AdminPassword, NextAddress());
        var realAdmin = await AttemptAsync(adminBrowser, "admin", AdminPassword, "192.0.2.10");
        Log.Line(string.Create(CultureInfo.InvariantCulture,
            $"attack: {attackAttempts} wrong passwords for admin from {attackAttempts} addresses in {attackClock.Elapsed.TotalSeconds:0.0} s: {rejected} checked (invalid), {throttled} throttled; " +
            $"then a new address with the right password → {newAddress.Location}; the admin's browser (device cookie) → {realAdmin.Status} {realAdmin.Location} in {realAdmin.Ms:0} ms"));
        if (rejected + throttled != attackAttempts) failures.Add("an attack attempt got neither 'invalid' nor 'wait'");
        if (throttled < attackAttempts - 10) failures.Add($"only {throttled} of {attackAttempts} attack attempts were throttled");
        if (!newAddress.Location.Contains("error=wait", StringComparison.Ordinal)) failures.Add($"a new address was not throttled: {newAddress.Location}");
        if (realAdmin.Location != "/" || realAdmin.Ms > 2000) failures.Add($"the real admin did not sign in at once: {realAdmin.Status} {realAdmin.Location} in {realAdmin.Ms:0} ms");

        var errors = product.ErrorLines;
        if (errors > 0) failures.Add($"{errors} error-level lines in the product log, e.g. {product.FirstErrors[0]}");
        foreach (var f in failures) Log.Line($"  FAIL: {f}");
        return Log.Verdict("signin", failures.Count == 0, string.Create(CultureInfo.InvariantCulture,
            $"wrong_password_median_ms={realMedian:0.0} unknown_user_median_ms={unknownMedian:0.0} gap_pct={gap * 100:0.0} samples={samples - 1} " +
            $"attack={attackAttempts} checked={rejected} throttled={throttled} new_address={(newAddress.Location.Contains("error=wait", StringComparison.Ordinal) ? "throttled" : "NOT-throttled")} " +
            $"admin_with_device_cookie={(realAdmin.Location == "/" ? "signed-in" : "refused")} admin_ms={realAdmin.Ms:0} error_log_lines={errors}"));
    }

    sealed record Attempt(int Status, string Location, double Ms);

    /// <summary>Loads /login for its antiforgery token (untimed), then times the form post alone.</summary>
    static async Task<Attempt> AttemptAsync(Browser browser, string username, string password, string from)
    {
        var page = await browser.Client.GetStringAsync("/login");
        var token = TokenPattern().Match(page).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["username"] = username, ["password"] = password, ["returnUrl"] = "/",
            }),
        };
        request.Headers.Add("X-Forwarded-For", from);
        var sw = Stopwatch.StartNew();
        using var response = await browser.Client.SendAsync(request);
        sw.Stop();
        return new Attempt((int)response.StatusCode, response.Headers.Location?.OriginalString ?? "", sw.Elapsed.TotalMilliseconds);
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>One browser: its own cookies (antiforgery, session, device), no redirects followed, the Origin a browser sends.</summary>
    sealed class Browser
    {
        public Browser(Product product)
        {
            Client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(30),
            };
            Client.DefaultRequestHeaders.Add("Origin", product.BaseAddress.GetLeftPart(UriPartial.Authority));
        }

        public HttpClient Client { get; }

        public async Task LogoutAsync(string from)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
            request.Headers.Add("X-Forwarded-For", from);
            using var response = await Client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-out answered {(int)response.StatusCode}");
        }
    }
}
