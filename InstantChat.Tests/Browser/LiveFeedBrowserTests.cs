using System.Globalization;
using InstantChat.Tests.TestSupport;
using Microsoft.Playwright;

namespace InstantChat.Tests.Browser;

/// <summary>
/// Issue #16's live-feed target, measured in a real browser while the simulator sends at its highest
/// rate: a hand-sent delivery is in the notification panel, and the toast has counted it, within 1 s
/// (p95) of its 200. The browser records when each appears (a MutationObserver, the page's clock);
/// the test records each 200 (the same machine's clock). A latency target: it runs alone, after the
/// parallel tests, so their load on the two cores is not in the measurement.
/// </summary>
[Collection(nameof(Measured))]
public sealed class LiveFeedBrowserTests(BrowserHost host, ITestOutputHelper output)
{
    const string Password = "correct horse battery";
    const int Probes = 20;

    const string Observer = """
        () => {
          window.__watch = []; window.__seen = {}; window.__toasts = []; window.__lastToast = '';
          new MutationObserver(() => {
            const now = Date.now();
            const list = document.querySelector('[data-testid=notification-list]');
            const text = list ? list.textContent : '';
            for (const m of window.__watch) if (!(m in window.__seen) && text.includes(m)) window.__seen[m] = now;
            const toast = document.querySelector('[data-testid=live-toast]');
            const t = toast ? toast.textContent : '';
            if (t !== window.__lastToast) { window.__lastToast = t; window.__toasts.push(now); }
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    [Fact]
    public async Task Notifications_SimulatorAtFullRate_HandSentDeliveryShownWithinASecond()
    {
        using var app = new KestrelApp(new() { ["ADMIN_PASSWORD"] = Password, ["SIMULATOR"] = "true", ["SIMULATOR_RATE"] = "200" });
        var s = await BrowserSession.SignInAsync(host.Require(), app.BaseUrl, "admin", Password);
        await s.Page.Locator("[data-testid=notification-bell]").ClickAsync();
        await Assertions.Expect(s.Page.Locator("[data-testid=notification-list]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await s.Page.EvaluateAsync(Observer);
        using var client = app.Factory.CreateClient();

        var acked = new Dictionary<string, long>();
        for (var i = 0; i < Probes; i++)
        {
            var sender = "91000000000" + i.ToString("00", CultureInfo.InvariantCulture);
            var marker = $"New messages from {sender}";
            await s.Page.EvaluateAsync("m => window.__watch.push(m)", marker);
            using var response = await client.SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message($"hand-{i}", "sent by hand", sender: sender))));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            acked[marker] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Task.Delay(400);
        }
        await Task.Delay(2_000);

        var seen = await s.Page.EvaluateAsync<Dictionary<string, long>>("() => window.__seen");
        var toasts = await s.Page.EvaluateAsync<long[]>("() => window.__toasts");
        var panel = acked.Select(a => seen.TryGetValue(a.Key, out var at) ? at - a.Value : long.MaxValue).Order().ToList();
        // The toast is updated in the same render as the panel: its first change from then on counts the delivery.
        var toast = acked.Select(a => seen.TryGetValue(a.Key, out var at) && toasts.FirstOrDefault(t => t >= at - 5) is var t and > 0 ? t - a.Value : long.MaxValue).Order().ToList();
        long P95(List<long> sorted) => sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1];
        output.WriteLine($"panel ms after the 200: p50 {panel[panel.Count / 2]} p95 {P95(panel)} max {panel[^1]}; toast: p50 {toast[toast.Count / 2]} p95 {P95(toast)} max {toast[^1]}");
        await s.Page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("live-feed-simulator-1280") });

        Assert.True(P95(panel) <= 1_000, $"notification panel p95 {P95(panel)} ms after the 200 (all: {string.Join(',', panel)})");
        Assert.True(P95(toast) <= 1_000, $"toast p95 {P95(toast)} ms after the 200 (all: {string.Join(',', toast)})");
        Assert.Single(await s.Page.Locator(".mud-snackbar").AllAsync()); // one live toast, never a queue
        Assert.True(s.Problems.Count == 0, string.Join("\n", s.Problems));
    }
}

/// <summary>Tests that measure time: xunit runs this collection by itself.</summary>
[CollectionDefinition(nameof(Measured), DisableParallelization = true)]
public sealed class Measured;
