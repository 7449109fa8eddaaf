using InstantChat.Core.Processing;
using InstantChat.Core.Security;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace InstantChat.Tests.Browser;

/// <summary>The dashboard as admins and viewers use it, on the real host, with a real browser.</summary>
public sealed class DashboardBrowserTests(BrowserHost host)
{
    const string Password = "correct horse battery";

    static KestrelApp App(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["ADMIN_PASSWORD"] = Password };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return new KestrelApp(settings);
    }

    [Fact]
    public async Task Viewer_SignedIn_SeesThePagesButNoAdminControls()
    {
        using var app = App();
        var created = await app.Factory.Services.GetRequiredService<UserAdmin>().CreateAsync(new("vera", Password, Roles.Viewer), "test", CancellationToken.None);
        Assert.True(created.Succeeded);
        await app.Factory.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("viewer-1", "for the viewer"))));

        var s = await BrowserSession.SignInAsync(host.Require(), app.BaseUrl, "vera", Password);

        Assert.Equal(0, await s.Page.Locator("[data-testid=open-test-event]").CountAsync());
        Assert.Equal(0, await s.Page.GetByRole(AriaRole.Link, new() { Name = "Users" }).CountAsync());
        await s.GoAsync(app.BaseUrl, "/events");
        await Assertions.Expect(s.Page.GetByText("for the viewer")).ToBeVisibleAsync();
        Assert.Equal(0, await s.Page.Locator("[data-testid=retry-row], [data-testid=retry-matching]").CountAsync());
        await s.Page.GotoAsync(app.BaseUrl + "/users");
        await Assertions.Expect(s.Page.Locator("[data-testid=forbidden]")).ToBeVisibleAsync();
        await s.Page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("viewer-users-forbidden") });
        Assert.True(s.Problems.Count == 0, string.Join("\n", s.Problems));
    }

    [Fact]
    public async Task Events_SignedDelivery_ToastThenFoundByTextWithItsDetailAndRawBytes()
    {
        using var app = App();
        var s = await BrowserSession.SignInAsync(host.Require(), app.BaseUrl, "admin", Password);
        await s.GoAsync(app.BaseUrl, "/events");

        await app.Factory.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(
            Deliveries.Message("find-1", "needle in the haystack ✨", sender: "900555"), Deliveries.Message("find-2", "other text"))));

        // One delivery, two messages: one toast counting both.
        await Assertions.Expect(s.Page.Locator(".mud-snackbar").GetByText("2 new events · latest: messages from")).ToBeVisibleAsync(new() { Timeout = 2_000 });
        await s.Page.Locator("input[data-testid=filter-text], [data-testid=filter-text] input").FillAsync("needle");
        // One row holding the needle: a single row alone could still be the empty table's message,
        // shown before the live update brings the two new events in.
        var rows = s.Page.Locator("[data-testid=events-table] tbody tr");
        await Eventually.WaitAsync(async () => (await rows.CountAsync(), await rows.Filter(new() { HasText = "needle" }).CountAsync()),
            counts => counts == (1, 1), TimeSpan.FromSeconds(10));
        var detail = s.Page.Locator("[data-testid=event-detail]");
        // The search box still has focus: its blur and the click race in the circuit, so click until the drawer shows.
        await Eventually.WaitAsync(async () =>
        {
            if (!await detail.IsVisibleAsync()) await rows.Filter(new() { HasText = "needle" }).Locator("[data-testid=open-event]").ClickAsync();
            await Task.Delay(300);
            return await detail.IsVisibleAsync();
        }, visible => visible, TimeSpan.FromSeconds(15));
        await Assertions.Expect(detail.Locator("[data-testid=detail-payload]")).ToContainTextAsync("find-1");
        await detail.Locator("[data-testid=show-raw]").ClickAsync();
        await Assertions.Expect(detail.Locator("[data-testid=detail-raw]")).ToContainTextAsync("\"object\":\"instagram\"");
        await s.Page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("event-detail-1280") });
        Assert.True(s.Problems.Count == 0, string.Join("\n", s.Problems));
    }

    [Fact]
    public async Task Events_RetryFailedEvent_StatusGoesFromFailedToPendingToCompleted()
    {
        using var app = App(AppFactory.IngestOnly); // processing runs only when the test says so
        await app.Factory.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("retry-1", "will fail once"))));
        var stored = (await app.Factory.Services.GetRequiredService<LogProcessor>().ProcessOnceAsync(10, CancellationToken.None)).Inserted;
        // A later attempt that failed (an outage): back in the queue, then ended failed.
        var queue = app.Factory.Services.GetRequiredService<IQueueStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var e in stored) await queue.RequeueAsync(e.EventId, now, null, CancellationToken.None);
        var claimed = await queue.ClaimAsync(10, now.AddSeconds(1), TimeSpan.FromMinutes(1), "test", CancellationToken.None);
        await queue.CompleteAsync([.. claimed.Select(e => new AttemptOutcome(e, ProcessingStatus.Failed, now, now, 1, "simulated outage", null))], "test", CancellationToken.None);

        var s = await BrowserSession.SignInAsync(host.Require(), app.BaseUrl, "admin", Password);
        await s.GoAsync(app.BaseUrl, "/events?status=failed");
        var row = s.Page.Locator("[data-testid=events-table] tbody tr").Filter(new() { HasText = "will fail once" });
        await Assertions.Expect(row.Locator("[data-testid=status-chip]")).ToHaveTextAsync("failed");
        await row.Locator("[data-testid=open-event]").ClickAsync();
        await Assertions.Expect(s.Page.Locator("[data-testid=detail-error]")).ToContainTextAsync("simulated outage");
        await s.Page.Locator("[data-testid=detail-retry]").ClickAsync();
        await Assertions.Expect(s.Page.Locator("[data-testid=event-detail] [data-testid=status-chip]").First).ToHaveTextAsync("pending");

        await app.Factory.Services.GetRequiredService<QueueWorker>().DrainOnceAsync(CancellationToken.None);

        await Assertions.Expect(s.Page.Locator("[data-testid=event-detail] [data-testid=status-chip]").First).ToHaveTextAsync("completed", new() { Timeout = 5_000 });
        await s.Page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("event-retried-1280") });
        Assert.True(s.Problems.Count == 0, string.Join("\n", s.Problems));
    }

    [Fact]
    public async Task Overview_SendTestEvent_StoredAndAnnounced()
    {
        using var app = App();
        var s = await BrowserSession.SignInAsync(host.Require(), app.BaseUrl, "admin", Password);

        await s.Page.Locator("[data-testid=open-test-event]").ClickAsync();
        await s.Page.Locator("[data-testid=send-test-event]").ClickAsync();

        // The answer waits for the processor (up to 10 s), which runs at low priority: on a CI box
        // busy with the rest of the suite that can take longer than Playwright's 5 s default.
        await Assertions.Expect(s.Page.Locator(".mud-snackbar").GetByText("Test event stored")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(s.Page.Locator("[data-testid=stat-total]")).ToHaveTextAsync("1", new() { Timeout = 5_000 });
    }

    static readonly (string Path, string Name)[] Pages =
        [("/", "overview"), ("/events", "events"), ("/conversations", "conversations"), ("/subscriptions", "subscriptions"), ("/destinations", "destinations"), ("/users", "users"), ("/keys", "keys")];

    [Fact]
    public async Task Dashboard_Empty_EveryPageRendersFitsAndPassesAxe()
    {
        using var app = App();
        await TourAsync(app, "-empty", async (s, name) =>
        {
            if (name == "overview") await Assertions.Expect(s.Page.Locator("[data-testid=overview-empty]")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Dashboard_SimulatorTraffic_EveryPageRendersAndFitsLaptopAndPhone()
    {
        await using var receiver = await Receiver.StartAsync();
        using var app = App(new() { ["SIMULATOR"] = "true", ["SIMULATOR_RATE"] = "25", ["DESTINATIONS_ALLOW_PRIVATE"] = "true" });
        // A destination receiving the traffic, so the Destinations page shows health under load.
        await app.Factory.Services.GetRequiredService<InstantChat.Core.Outbound.DestinationService>().CreateAsync(
            new InstantChat.Core.Outbound.DestinationBody("support bot", receiver.Url, true, new(["messages"], null, null), null, null, null, null, null, "conversation"), "tour", CancellationToken.None);
        var stats = app.Factory.Services.GetRequiredService<StatsService>();
        await Eventually.WaitAsync(() => stats.ReportAsync(CancellationToken.None), r => r.Total >= 60 && r.ByStatus.GetValueOrDefault("completed") >= 30, TimeSpan.FromSeconds(30));
        // Quiet from here on: the tour clicks through pages whose lists would otherwise re-sort every second.
        app.Factory.Services.GetRequiredService<InstantChat.Core.Simulation.Simulator>().Stop();
        // One subscribed account, so the Subscriptions page shows an account's health under traffic.
        await app.Factory.Services.GetRequiredService<InstantChat.Core.Subscriptions.SubscriptionService>().CreateAsync(
            new InstantChat.Core.Subscriptions.SubscriptionBody("17841400000000001", null, null, null, null), "tour", CancellationToken.None);

        await TourAsync(app, "", async (s, name) =>
        {
            if (name == "subscriptions") await Assertions.Expect(s.Page.Locator("[data-testid=account-health]").First).ToContainTextAsync("in 24 h");
            if (name == "destinations") await Assertions.Expect(s.Page.Locator("[data-testid=destination-rate]").First).ToContainTextAsync("100% of");
            if (name == "conversations")
            {
                await s.Page.Locator("[data-testid=conversation-list] .mud-list-item").First.ClickAsync();
                await Assertions.Expect(s.Page.Locator("[data-testid=chat-message]").First).ToBeVisibleAsync();
            }
            if (name == "overview") await Assertions.Expect(s.Page.Locator("[data-testid=recent-activity]")).ToBeVisibleAsync();
        });
    }

    /// <summary>
    /// Every page at 1280 and 375 px: a screenshot each (./screenshots.sh keeps them in docs/screenshots),
    /// no horizontal scroll, no console error, and no serious or critical axe finding.
    /// </summary>
    async Task TourAsync(KestrelApp app, string suffix, Func<BrowserSession, string, Task> check)
    {
        var accessibility = new List<string>();
        foreach (var width in new[] { 1280, 375 })
        {
            var s = await BrowserSession.SignInAsync(host.Require(), app.BaseUrl, "admin", Password, width);
            foreach (var (path, name) in Pages)
            {
                await s.GoAsync(app.BaseUrl, path);
                await Assertions.Expect(s.Page.Locator("h1").First).ToBeVisibleAsync();
                await check(s, name);
                await s.Page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot($"{name}-{width}{suffix}"), FullPage = true });
                var scroll = await s.ScrollWidthAsync();
                Assert.True(scroll <= width, $"{path} is {scroll}px wide at {width}px");
                accessibility.AddRange(await SeriousViolationsAsync(s.Page, $"{path} at {width}px{suffix}"));
            }
            Assert.True(s.Problems.Count == 0, string.Join("\n", s.Problems));
            await s.Page.Context.CloseAsync();
        }
        Assert.True(accessibility.Count == 0, "axe: serious or critical violations\n" + string.Join("\n", accessibility));
    }

    /// <summary>axe-core's serious and critical findings on the page as it is now, one line each.</summary>
    static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, string where)
    {
        var results = await page.RunAxe();
        return results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Impact} {v.Id} ({v.Nodes.Length}×) {v.Help} — e.g. {v.Nodes.FirstOrDefault()?.Html}");
    }
}
