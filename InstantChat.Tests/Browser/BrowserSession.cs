using Microsoft.Playwright;

namespace InstantChat.Tests.Browser;

/// <summary>A signed-in tab: console errors and warnings collected, the circuit interactive before anything is clicked.</summary>
public sealed record BrowserSession(IPage Page, List<string> Problems)
{
    public static async Task<BrowserSession> SignInAsync(IBrowser browser, string baseUrl, string username, string password, int width = 1280)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 800 } });
        // The machine is offline: pictures on Meta's CDN (attachments in simulated threads) get a 1×1 stand-in.
        await context.RouteAsync(url => !url.StartsWith(baseUrl, StringComparison.Ordinal), route => route.FulfillAsync(new() { ContentType = "image/png", BodyBytes = Pixel }));
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add($"{m.Type}: {m.Text}"); };
        await page.GotoAsync(baseUrl + "/");
        Assert.Contains("/login", page.Url);
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(baseUrl + "/");
        var session = new BrowserSession(page, problems);
        await session.WaitInteractiveAsync();
        return session;
    }

    static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    /// <summary>The first paint is prerendered HTML: act only once the circuit has rendered the layout interactively.</summary>
    public Task WaitInteractiveAsync() =>
        Page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });

    /// <summary>Navigates inside the app the way a person does (a full load), then waits for the circuit.</summary>
    public async Task GoAsync(string baseUrl, string path)
    {
        await Page.GotoAsync(baseUrl + path);
        await WaitInteractiveAsync();
    }

    public Task<int> ScrollWidthAsync() => Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
}
