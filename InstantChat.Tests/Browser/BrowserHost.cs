using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(InstantChat.Tests.Browser.BrowserHost))]

namespace InstantChat.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (never `playwright install`: the browser comes from apt,
/// installed by test.sh). Tests skip with the reason when it is missing.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) { SkipReason = $"{ChromiumPath} not installed; ./test.sh installs Debian's chromium"; return; }
        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // The machine's network is closed: keep chromium from trying to reach Google's services.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
        }
        catch (Exception ex)
        {
            SkipReason = $"chromium did not start: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    public IBrowser Require()
    {
        if (SkipReason is not null) Assert.Skip(SkipReason);
        return Browser!;
    }

    /// <summary>Where screenshots go: SCREENSHOTS_DIR (./screenshots.sh sets docs/screenshots), else the test output folder.</summary>
    public static string Screenshot(string name)
    {
        var dir = Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } chosen ? chosen : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}

/// <summary>The real host on a real Kestrel port, which a browser can reach.</summary>
public sealed class KestrelApp : IDisposable
{
    public KestrelApp(Dictionary<string, string?> settings)
    {
        Factory = new AppFactory(settings);
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public AppFactory Factory { get; }
    public string BaseUrl { get; }

    public void Dispose() => Factory.Dispose();
}
