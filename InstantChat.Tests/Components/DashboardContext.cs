using Bunit;
using Bunit.Rendering;
using InstantChat.Core;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
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
            ["DESTINATIONS_ALLOW_PRIVATE"] = "true", // destination tests send to a receiver on 127.0.0.1
        }).Build();
        Services.AddSingleton<IConfiguration>(config);
        Services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        Services.AddInstantChatCore(config);
        Services.AddStorage(config);
        Services.AddMudServices();
        Services.AddScoped<NotificationCenter>();
        Services.AddScoped<InstantChat.Web.Components.Shared.ViewerTime>();
        Services.AddSingleton<InstantChat.Web.Components.Shared.ParticipantNames>();
        Services.AddSingleton<Core.Outbound.IOutboundPayloads, InstantChat.Web.Endpoints.EventPayloads>();
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
        // As in the host: deliveries logged by a page (a test event) are processed in the background.
        await Services.GetRequiredService<LogProcessor>().StartAsync(CancellationToken.None);
    }

    IReadOnlyList<WebhookEvent> _lastIngested = [];

    /// <summary>
    /// A delivery through the product's own path: logged as the webhook endpoint logs it, then
    /// processed by the real processor (parse, deduplicate, first attempt, one commit).
    /// </summary>
    protected async Task<IReadOnlyList<WebhookEvent>> IngestAsync(byte[] envelope)
    {
        await Services.GetRequiredService<WebhookIngestor>().IngestAsync(envelope, "application/json");
        await Services.GetRequiredService<LogProcessor>().ProcessOnceAsync(100, CancellationToken.None);
        // Whichever ran it (this call or the background loop), its events are the ones under its keys.
        var keys = new Core.Parsing.MetaParser().Parse(envelope, "x", DateTimeOffset.UtcNow).Select(e => e.DeduplicationKey).Distinct();
        var store = Services.GetRequiredService<IEventStore>();
        var found = new List<WebhookEvent>();
        foreach (var key in keys) found.Add(await Eventually.WaitAsync(() => store.FindByKeyAsync(key, CancellationToken.None), e => e is not null) ?? throw new InvalidOperationException());
        return _lastIngested = found;
    }

    /// <summary>The last delivery's events end another attempt with <paramref name="status"/> (a retry that ended so).</summary>
    protected async Task FinishAllAsync(ProcessingStatus status, string? error = null, DateTimeOffset? nextAttemptAt = null)
    {
        if (status == ProcessingStatus.Completed) return; // the processor's first attempt completed them
        var queue = Services.GetRequiredService<IQueueStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var e in _lastIngested) await queue.RequeueAsync(e.EventId, now, "tester", CancellationToken.None);
        var claimed = await queue.ClaimAsync(new ClaimRequest(_lastIngested.Count, now.AddSeconds(1), TimeSpan.FromMinutes(1), "test",
            EventIds: _lastIngested.Select(e => e.EventId).ToList()), CancellationToken.None);
        await queue.CompleteAsync(claimed.Select(e => new AttemptOutcome(e, status, now, now.AddMilliseconds(5), 5, error, nextAttemptAt)).ToList(), "test", CancellationToken.None);
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
        if (!_storeDown)
        {
            await Services.GetRequiredService<LogProcessor>().StopAsync(CancellationToken.None);
            await Services.GetRequiredService<IngestWriter>().StopAsync(CancellationToken.None);
        }
        await base.DisposeAsyncCore();
        _dir.Dispose();
    }
}
