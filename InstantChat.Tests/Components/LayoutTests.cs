using Bunit;
using InstantChat.Web.Components.Layout;
using InstantChat.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace InstantChat.Tests.Components;

public sealed class LayoutTests : BunitContext
{
    readonly InstantChat.Core.Notifications.InProcessEventFeed _feed = new();

    public LayoutTests()
    {
        Services.AddMudServices();
        Services.AddSingleton<InstantChat.Core.Notifications.IEventFeed>(_feed);
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("alice");
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
    }

    [Fact]
    public void MainLayout_EventReceived_ShowsAToastNamingTypeAndSender()
    {
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));
        var e = new InstantChat.Core.Webhooks.WebhookEvent
        {
            EventId = "01KZZZZZZZZZZZZZZZZZZZZZZZ", EventType = "messages", SenderId = "555", Timestamp = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = "k", DeliveryId = "d",
        };

        _feed.Publish(InstantChat.Core.Notifications.EventChange.Received, [e]);

        cut.WaitForAssertion(() => Assert.Contains("New messages from 555", cut.Markup));
    }

    [Fact]
    public void Home_Rendered_ShowsTheWebhookCallbackUrl() =>
        Assert.Contains("http://localhost/api/webhooks/instagram", Render<Home>().Markup);
}
