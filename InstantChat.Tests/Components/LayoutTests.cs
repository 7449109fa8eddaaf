using Bunit;
using InstantChat.Web.Components.Layout;
using InstantChat.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace InstantChat.Tests.Components;

public sealed class LayoutTests : BunitContext
{
    public LayoutTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("alice");
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
    public void Home_Rendered_ShowsTheWebhookCallbackUrl() =>
        Assert.Contains("http://localhost/api/webhooks/instagram", Render<Home>().Markup);
}
