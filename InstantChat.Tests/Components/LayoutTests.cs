using Bunit;
using InstantChat.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace InstantChat.Tests.Components;

public sealed class LayoutTests : BunitContext
{
    readonly InstantChat.Core.Notifications.InProcessEventFeed _feed = new();
    readonly Bunit.TestDoubles.BunitAuthorizationContext _auth;
    readonly TestSupport.SqliteStores _stores = new();

    public LayoutTests()
    {
        Services.AddMudServices();
        Services.AddSingleton<InstantChat.Core.Notifications.IEventFeed>(_feed);
        Services.AddSingleton(_alerts);
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<InstantChat.Web.Components.Notifications.NotificationCenter>();
        Services.AddScoped<InstantChat.Web.Components.Shared.ViewerTime>();
        Services.AddSingleton(_stores.Participants);
        Services.AddSingleton<InstantChat.Web.Components.Shared.ParticipantNames>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        _auth = AddAuthorization();
        _auth.SetAuthorized("alice");
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void MainLayout_Body_RendersInsideAppBarAndNavigation()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page\">page body</p>"))));

        Assert.Contains("InstantChat Webhooks", cut.Find(".mud-appbar").TextContent);
        Assert.Contains("Overview", cut.Find(".mud-navmenu").TextContent);
        Assert.Equal("page body", cut.Find("#page").TextContent);
        Assert.Equal("alice", cut.Find("[data-testid=signed-in-user]").TextContent);
        Assert.NotNull(cut.Find("form[action='/account/logout'][method=post]"));
    }

    [Fact]
    public void MainLayout_DarkModeToggle_SwitchesTheIcon()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));
        var before = cut.Find("[aria-label='Toggle dark mode']").InnerHtml;

        cut.Find("[aria-label='Toggle dark mode']").Click();

        Assert.NotEqual(before, cut.Find("[aria-label='Toggle dark mode']").InnerHtml);
        // Remembered by the browser for the next visit.
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "localStorage.setItem" && i.Arguments.SequenceEqual(["instantchat.dark", "1"]));
    }

    [Fact]
    public void MainLayout_DarkModeRemembered_StartsDark()
    {
        JSInterop.Setup<string?>("localStorage.getItem", "instantchat.dark").SetResult("1");
        var light = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        // Dark mode shows the "back to light" icon.
        var sun = System.Text.RegularExpressions.Regex.Match(MudBlazor.Icons.Material.Filled.LightMode, "d=\"([^\"]{12})").Groups[1].Value;
        light.WaitForAssertion(() => Assert.Contains(sun, light.Find("[aria-label='Toggle dark mode']").InnerHtml));
    }

    [Fact]
    public void MainLayout_EventReceived_ShowsAToastNamingTypeAndSender()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));
        var e = new InstantChat.Core.EventModel.WebhookEvent
        {
            EventId = "01KZZZZZZZZZZZZZZZZZZZZZZZ", EventType = "messages", SenderId = "555", Timestamp = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = "k", DeliveryId = "d",
        };

        _feed.Publish(InstantChat.Core.Notifications.EventChange.Received, [e]);

        cut.WaitForAssertion(() => Assert.Contains("New messages from 555", cut.Markup));
    }

    [Fact]
    public async Task MainLayout_EventFromSomeoneInTheDirectory_ToastNamesThem()
    {
        var comment = TestSupport.Deliveries.Comment("c-1", "555", "ann.b");
        await _stores.Ingest.CommitAsync([new(new("d1", DateTimeOffset.UtcNow, "application/json", comment), new InstantChat.Core.Parsing.MetaParser().Parse(comment, "d1", DateTimeOffset.UtcNow))], default);
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));
        var e = new InstantChat.Core.EventModel.WebhookEvent
        {
            EventId = "01KZZZZZZZZZZZZZZZZZZZZZZZ", EventType = "messages", SenderId = "555", Timestamp = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = "k", DeliveryId = "d",
        };

        _feed.Publish(InstantChat.Core.Notifications.EventChange.Received, [e]);

        cut.WaitForAssertion(() => Assert.Equal("New messages from ann.b", cut.Find("[data-testid=live-toast]").TextContent));
        Assert.Equal("555", cut.Find("[data-testid=live-toast]").GetAttribute("title")); // the id on hover
    }

    [Fact]
    public async Task MainLayout_EventsKeepArriving_OneToastUpdatedInPlace()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        _feed.Publish(InstantChat.Core.Notifications.EventChange.Received, [Event("01KZZZZZZZZZZZZZZZZZZZZZZ1", "messages", "555")]);
        cut.WaitForAssertion(() => Assert.Equal("New messages from 555", cut.Find("[data-testid=live-toast]").TextContent));
        await Task.Delay(MainLayout.LiveInterval * 2);
        _feed.Publish(InstantChat.Core.Notifications.EventChange.Received, [Event("01KZZZZZZZZZZZZZZZZZZZZZZ2", "comments", "777"), Event("01KZZZZZZZZZZZZZZZZZZZZZZ3", "comments", "778")]);

        cut.WaitForAssertion(() => Assert.Equal("3 new events · latest: comments from 778", cut.Find("[data-testid=live-toast]").TextContent));
        Assert.Single(cut.FindAll("[data-testid=live-toast]"));
        Assert.Single(cut.FindAll(".mud-snackbar"));
    }

    readonly InstantChat.Core.Outbound.AlertFeed _alerts = new();

    [Fact]
    public void MainLayout_AlertOpens_BellCountsItAndThePanelListsIt()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        _alerts.Publish(new InstantChat.Core.Outbound.Alert("alr_1", "failedEvents", "", "12 events failed in 10 minutes", "detail", DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=notification-badge] .mud-badge").TextContent.Trim()));
        cut.Find("[data-testid=notification-bell]").Click();
        Assert.Contains("Alert: 12 events failed in 10 minutes", cut.Find("[data-testid=notification-list]").TextContent);
    }

    [Fact]
    public void MainLayout_EventsReceived_BellCountsThemAndThePanelListsThem()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        _feed.Publish(InstantChat.Core.Notifications.EventChange.Received, [Event("01KZZZZZZZZZZZZZZZZZZZZZZ1", "messages", "555"), Event("01KZZZZZZZZZZZZZZZZZZZZZZ2", "comments", "777")]);

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=notification-badge] .mud-badge").TextContent.Trim()));
        cut.Find("[data-testid=notification-bell]").Click();
        var list = cut.Find("[data-testid=notification-list]").TextContent;
        Assert.Contains("New messages from 555", list);
        Assert.Contains("New comments from 777", list);
        cut.Find("[data-testid=mark-all-read]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=notification-badge] .mud-badge-badge, [data-testid=notification-badge] .mud-badge.mud-badge-visible")));

        cut.Find("[data-testid=mark-all-read]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=notification-panel-content][inert]")));
    }

    [Fact]
    public void MainLayout_Viewer_HasNoAdminLinks()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        Assert.DoesNotContain("Users", cut.Find(".mud-navmenu").TextContent);
        Assert.DoesNotContain("API keys", cut.Find(".mud-navmenu").TextContent);
    }

    [Fact]
    public void MainLayout_Admin_HasUsersAndKeysLinks()
    {
        _auth.SetRoles("admin");

        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        Assert.Contains("Users", cut.Find(".mud-navmenu").TextContent);
        Assert.Contains("API keys", cut.Find(".mud-navmenu").TextContent);
    }

    static InstantChat.Core.EventModel.WebhookEvent Event(string id, string type, string sender) => new()
    {
        EventId = id, EventType = type, SenderId = sender, Timestamp = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = "k" + id, DeliveryId = "d",
    };

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _stores.Dispose();
    }
}
