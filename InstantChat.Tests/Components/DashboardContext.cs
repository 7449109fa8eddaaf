using Bunit;
using Bunit.Rendering;
using InstantChat.Core;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.Webhooks;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Components.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace InstantChat.Tests.Components;

/// <summary>
/// bunit with the product's own services over a real SQLite file (or, with <c>storeDown</c>, a
/// MongoDB address nobody answers: the store-unavailable state). Pages render interactive, as in
/// the circuit; seed data goes through the real ingest path.
/// </summary>
public abstract class DashboardContext : BunitContext, IAsyncLifetime
{
    const string DeadMongo = "mongodb://127.0.0.1:1/down?serverSelectionTimeoutMS=300&connectTimeoutMS=300";
    readonly TempDir _dir = new();
    readonly bool _storeDown;

    protected DashboardContext(string role = "admin", bool storeDown = false)
    {
        _storeDown = storeDown;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATA_DIR"] = _dir.Path,
            ["MONGO_URI"] = storeDown ? DeadMongo : null,
        }).Build();
        Services.AddSingleton<IConfiguration>(config);
        Services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        Services.AddInstantChatCore(config);
        Services.AddStorage(config);
        Services.AddMudServices();
        Services.AddScoped<NotificationCenter>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = AddAuthorization();
        auth.SetAuthorized(role);
        auth.SetRoles(role);
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public async ValueTask InitializeAsync()
    {
        if (_storeDown) return;
        await Services.GetRequiredService<IStoreInitializer>().InitializeAsync(CancellationToken.None);
        await Services.GetRequiredService<IngestWriter>().StartAsync(CancellationToken.None);
    }

    /// <summary>Stores a delivery exactly as the webhook endpoint would (parse, deduplicate, commit).</summary>
    protected Task<IngestOutcome> IngestAsync(byte[] envelope) =>
        Services.GetRequiredService<WebhookIngestor>().IngestAsync(envelope, "application/json", CancellationToken.None);

    /// <summary>Claims every due event and ends each attempt with <paramref name="status"/>.</summary>
    protected async Task FinishAllAsync(ProcessingStatus status, string? error = null)
    {
        var queue = Services.GetRequiredService<IQueueStore>();
        var now = DateTimeOffset.UtcNow;
        var claimed = await queue.ClaimAsync(1000, now.AddSeconds(1), TimeSpan.FromMinutes(1), "test", CancellationToken.None);
        await queue.CompleteAsync(claimed.Select(e => new AttemptOutcome(e, status, now, now.AddMilliseconds(5), 5, error, null)).ToList(), "test", CancellationToken.None);
    }

    /// <summary>Runs the real queue worker until nothing is due (handlers build threads and comments).</summary>
    protected async Task ProcessQueueAsync()
    {
        var worker = Services.GetRequiredService<QueueWorker>();
        while (await worker.DrainOnceAsync(CancellationToken.None) > 0) { }
    }

    /// <summary>
    /// The page under MudBlazor's popover, dialog and snackbar providers, as MainLayout renders it, so
    /// select menus, dialogs, message boxes and snackbars appear in the same markup.
    /// </summary>
    protected IRenderedComponent<ContainerFragment> RenderWithProviders<TPage>() where TPage : IComponent => Render(b =>
    {
        b.OpenComponent<MudPopoverProvider>(0);
        b.CloseComponent();
        b.OpenComponent<MudDialogProvider>(1);
        b.CloseComponent();
        b.OpenComponent<MudSnackbarProvider>(2);
        b.CloseComponent();
        b.OpenComponent<TPage>(3);
        b.CloseComponent();
    });

    protected override async ValueTask DisposeAsyncCore()
    {
        if (!_storeDown) await Services.GetRequiredService<IngestWriter>().StopAsync(CancellationToken.None);
        await base.DisposeAsyncCore();
        _dir.Dispose();
    }
}
