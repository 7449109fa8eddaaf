using Bunit;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Components.Pages;

namespace InstantChat.Tests.Components.Pages;

public sealed class OverviewTests() : DashboardContext("admin")
{
    [Fact]
    public async Task Render_OpenAlert_ShownAtTheTopUntilItResolves()
    {
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Core.Storage.IAlertStore>(Services);
        var alert = new Core.Outbound.Alert("alr_1", Core.Outbound.AlertKinds.FailedEvents, "", "12 events failed in 10 minutes", "see Events", DateTimeOffset.UtcNow);
        await store.OpenAsync(alert, default);

        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Contains("12 events failed in 10 minutes", cut.Find("[data-testid=open-alert]").TextContent));
        var resolved = await store.ResolveAsync(alert.Rule, alert.Key, DateTimeOffset.UtcNow, default);
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Core.Outbound.AlertFeed>(Services).Publish(resolved!);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=open-alert]")));
    }

    [Fact]
    public async Task Render_WithEvents_MinuteChartBesideTheHourlyOneWhoseWindowSwitchesAndTheDonutSaysHowMany()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m1", "hello"), Deliveries.Message("m2", "again")));
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("Events per hour (last 24 h, UTC)", cut.Find("[data-testid=activity-title]").TextContent));
        Assert.Contains("Events processed per minute (last hour, UTC)", cut.Find("[data-testid=chart-minutes]").TextContent);
        Assert.Contains("messages (2)", cut.Find("[data-testid=chart-types]").TextContent);

        cut.FindAll("[data-testid=activity-window] button").Single(b => b.TextContent.Trim() == "7 days").Click();

        Assert.Equal("Events per hour (last 7 days, UTC)", cut.Find("[data-testid=activity-title]").TextContent);
        Assert.Equal("true", cut.FindAll("[data-testid=activity-window] button").Single(b => b.TextContent.Trim() == "7 days").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task Render_TopSenders_NamesLinkToTheirEvents()
    {
        await IngestAsync(Deliveries.Comment("c-1", "900000001", "ann.b"));
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-1", "hi"), Deliveries.Message("m-2", "again")));

        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal("ann.b", cut.Find("[data-testid=top-senders] a[href='/events?sender=900000001']").TextContent));
        Assert.Equal("900000001", cut.Find("[data-testid=top-senders] a[href='/events?sender=900000001']").GetAttribute("title"));
    }

    [Fact]
    public void Render_NoEvents_ShowsTheEmptyHintAndTheCallbackUrl()
    {
        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=overview-empty]")));
        Assert.Equal("0", cut.Find("[data-testid=stat-total]").TextContent);
        Assert.Contains("http://localhost/api/webhooks/meta", cut.Markup);
        // No data is not "0 % success" with a green tick.
        Assert.Equal("—", cut.Find("[data-testid=stat-success]").TextContent);
        Assert.Equal("—", cut.Find("[data-testid=stat-avg-ms]").TextContent);
    }

    [Fact]
    public async Task Render_EventsOfThreePlatforms_EachPlatformsCountOpensItsEvents()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m1", "hello"), Deliveries.Message("m2", "again")));
        await IngestAsync(InstantChat.Tests.Parsing.Fixture.Load("WhatsApp", "batch_messages_and_statuses"));
        await IngestAsync(InstantChat.Tests.Parsing.Fixture.Load("Messenger", "messages_text"));

        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=platform-count]").Count));
        var links = cut.FindAll("[data-testid=platform-count]").Select(a => (a.GetAttribute("href"), a.TextContent.Trim())).ToList();
        Assert.Equal([("/events?platform=whatsapp", "WhatsApp 4"), ("/events?platform=instagram", "Instagram 2"), ("/events?platform=messenger", "Messenger 1")],
            links.Select(l => (l.Item1, System.Text.RegularExpressions.Regex.Replace(l.Item2, @"\s+", " "))));
    }

    [Fact]
    public async Task Render_WithEvents_CardsChartsAndRecentActivityShowThem()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m1", "hello"), Deliveries.Message("m2", "again"), Deliveries.Message("m3", "bye")));
        await FinishAllAsync(Core.EventModel.ProcessingStatus.Completed);

        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=stat-total]").TextContent));
        Assert.Equal("100%", cut.Find("[data-testid=stat-success]").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=stat-failed]").TextContent);
        Assert.Equal("/events?status=failed", cut.Find("a[data-testid=stat-failed]").GetAttribute("href")); // the card opens what it counts
        Assert.Equal("3", cut.Find("[data-testid=by-status] a[href='/events?status=completed']").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=recent-activity] .mud-list-item").Count);
        Assert.Contains(Deliveries.Account, cut.Find("[data-testid=top-accounts]").TextContent);
        Assert.NotEmpty(cut.FindAll("svg"));
        Assert.Empty(cut.FindAll("[data-testid=overview-empty]"));
    }

    [Fact]
    public async Task Render_NewEventArrives_CardsFollowWithoutReload()
    {
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=stat-total]").TextContent));

        await IngestAsync(Deliveries.Envelope(Deliveries.Message("live1", "hi")));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=stat-total]").TextContent), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Render_Admin_OffersSendTestEvent() =>
        Assert.NotEmpty(Render<Overview>().FindAll("[data-testid=open-test-event]"));
}

public sealed class OverviewViewerTests() : DashboardContext("viewer")
{
    [Fact]
    public void Render_Viewer_HasNoAdminControls()
    {
        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=stat-total]")));
        Assert.Empty(cut.FindAll("[data-testid=open-test-event]"));
    }
}

public sealed class OverviewStoreDownTests() : DashboardContext("admin", storeDown: true)
{
    [Fact]
    public void Render_StoreUnavailable_ShowsTheErrorWithATryAgain()
    {
        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Contains("store is unavailable", cut.Find("[data-testid=load-error]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("Try again", cut.Find("[data-testid=load-error]").TextContent);
    }
}
