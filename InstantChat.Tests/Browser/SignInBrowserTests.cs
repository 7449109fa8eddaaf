using InstantChat.Tests.TestSupport;
using Microsoft.Playwright;

namespace InstantChat.Tests.Browser;

/// <summary>A person at the keyboard: sign in, use the interactive page, on a laptop and a phone.</summary>
public sealed class SignInBrowserTests(BrowserHost host) : IDisposable
{
    const string Password = "correct horse battery";
    readonly KestrelApp _app = new(new() { ["ADMIN_PASSWORD"] = Password });
    public void Dispose() => _app.Dispose();

    async Task<(IPage Page, List<string> Problems)> SignedInAsync(int width)
    {
        var session = await BrowserSession.SignInAsync(host.Require(), _app.BaseUrl, "admin", Password, width);
        return (session.Page, session.Problems);
    }

    [Fact]
    public async Task SignIn_Admin_ReachesAnInteractiveOverviewWithoutConsoleErrors()
    {
        var (page, problems) = await SignedInAsync(1280);
        var toggle = page.Locator("[aria-label='Toggle dark mode']");
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        var before = await toggle.InnerHTMLAsync();

        // The circuit may still be wiring events right after the first render: retry the click briefly.
        await Eventually.WaitAsync(async () => { await toggle.ClickAsync(); return await toggle.InnerHTMLAsync(); }, after => after != before, TimeSpan.FromSeconds(10));

        Assert.Equal("admin", await page.Locator("[data-testid=signed-in-user]").TextContentAsync());
        await page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("overview-1280"), FullPage = true });
        Assert.Empty(problems); // the CSP blocks nothing the page needs
    }

    [Fact]
    public async Task SignIn_PhoneWidth_PageFitsTheScreen()
    {
        var (page, problems) = await SignedInAsync(375);
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("overview-375"), FullPage = true });
        Assert.True(width <= 375, $"the page is {width}px wide at 375px");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Webhook_SignedDelivery_ToastAppearsWithinTwoSeconds()
    {
        var (page, _) = await SignedInAsync(1280);
        var client = _app.Factory.CreateClient();

        await client.SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("toast-1", "hi", sender: "900777"))));

        await Assertions.Expect(page.Locator(".mud-snackbar").GetByText("New messages from 900777")).ToBeVisibleAsync(new() { Timeout = 2_000 });
        await page.ScreenshotAsync(new() { Path = BrowserHost.Screenshot("toast") });
    }

    [Fact]
    public async Task SignOut_ReturnsToLoginAndPagesAreClosedAgain()
    {
        var (page, _) = await SignedInAsync(1280);
        await page.Locator("[aria-label='Sign out']").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/login"));
        await page.GotoAsync(_app.BaseUrl + "/");
        Assert.Contains("/login", page.Url);
    }
}
