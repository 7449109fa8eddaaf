using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.TestSupport;

/// <summary>The real host on a temp SQLite file, configured the way an operator would with variables.</summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-admin-api-key-0123456789abcdef";
    public const string VerifyToken = "test-verify-token";
    readonly TempDir? _ownDir;
    readonly Dictionary<string, string?> _settings;

    public AppFactory(Dictionary<string, string?>? settings = null, string? dataDir = null)
    {
        if (dataDir is null) _ownDir = new TempDir();
        DataDir = dataDir ?? _ownDir!.Path;
        _settings = new()
        {
            ["DATA_DIR"] = DataDir,
            ["META_VERIFY_TOKEN"] = VerifyToken,
            ["INSTAGRAM_APP_SECRET"] = Signing.Secret,
            ["META_APP_SECRET"] = Signing.OtherSecret,
            ["ADMIN_API_KEY"] = ApiKey,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
    }

    public string DataDir { get; }

    /// <summary>Settings for a host that only logs deliveries and serves: it processes nothing (another host would).</summary>
    public static Dictionary<string, string?> IngestOnly => new() { ["WEBHOOK_WORKER_ENABLED"] = "false" };

    /// <summary>Waits until every delivery acknowledged so far is processed: its events are then listed.</summary>
    public Task ProcessedAsync() =>
        Eventually.WaitAsync(() => Task.FromResult(Services.GetRequiredService<Core.Common.LogProgress>().Pending), pending => pending == 0);

    /// <summary>Settings for a host the tests sign in to as the built-in admin (no worker: statuses stay as stored).</summary>
    public static Dictionary<string, string?> SignInHost(string adminPassword) =>
        new() { ["ADMIN_PASSWORD"] = adminPassword, ["WEBHOOK_WORKER_ENABLED"] = "false" };

    /// <summary>A host on the test's clock: session lifetimes, caches, throttles and re-checks move when the test says.</summary>
    public static AppFactory OnClock(TimeProvider clock, Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        new(settings) { ConfigureTestServices = s => { s.AddSingleton(clock); services?.Invoke(s); } };

    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, Browsers.ClientAddressFilter>());
        if (ConfigureTestServices is { } configure) builder.ConfigureServices(configure);
    }

    public HttpClient ApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _ownDir?.Dispose();
    }
}
