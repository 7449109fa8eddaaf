using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Storage;

/// <summary>
/// A small table the hot paths read from memory: loaded before the host takes requests, reloaded
/// at once after a local change (callers invoke <see cref="ReloadAsync"/>) and every few seconds,
/// so changes made on other hosts arrive too. A store outage keeps the last good copy.
/// </summary>
public abstract class StoreMirror(TimeProvider clock, ILogger logger) : BackgroundService
{
    static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    protected TimeProvider Clock => clock;
    protected ILogger Logger => logger;

    public abstract Task ReloadAsync(CancellationToken cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Refresh, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (!stoppingToken.IsCancellationRequested) await TryReloadAsync(stoppingToken);
        }
    }

    async Task TryReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            logger.LogWarning("Reloading {Mirror} failed, keeping the last copy: {Error}", GetType().Name, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
